using System.CommandLine;
using System.Globalization;
using PotNet.Data;
using PotNet.Hardware;
using PotNet.Hardware.Energy;
using PotNet.Hardware.Switching;
using PotNet.Model;
using PotNet.Serialization;
using Spectre.Console;

namespace PotNet.Cli.Commands;

/// <summary>
/// <c>potnet hw switching --bac M --mac M [--apot M] --data mnist</c>: each PE kind's lane synthesised
/// to generic gates, simulated on operand traces of real inferences, toggles counted; the measured
/// BAC/MAC ratio per operation beside the energy tables'.
/// </summary>
internal static class HwSwitchingCommand
{
    public static Command Create(Terminal terminal)
    {
        var bac = new Option<string>("--bac") { Description = "A pot model, traced on BAC lanes.", Required = true };
        var mac = new Option<string>("--mac") { Description = "A uniform model, traced on MAC lanes (multiplier in gates).", Required = true };
        var apot = new Option<string?>("--apot") { Description = "An apot model, traced on APoT lanes." };
        var data = DataOptions.Data();
        var dataDir = DataOptions.DataDir();
        var images = new Option<int>("--images") { Description = "Test images whose inferences make the traces.", DefaultValueFactory = _ => 2 };
        var cycles = new Option<int>("--cycles") { Description = "At most this many cycles per trace.", DefaultValueFactory = _ => 20_000 };
        var parallel = new Option<int>("--p") { Description = "P of the schedule the traces follow.", DefaultValueFactory = _ => 8 };
        var lanes = new Option<int>("--l") { Description = "L of the schedule the traces follow.", DefaultValueFactory = _ => 8 };
        var output = new Option<string>("--out") { Description = "Work directory (netlists, traces, dumps).", DefaultValueFactory = _ => "switching" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("switching", "Gate-level switching activity of BAC, MAC and APoT lanes on traces of real inferences (Yosys + Icarus).")
        {
            bac, mac, apot, data, dataDir, images, cycles, parallel, lanes, output, json,
        };
        command.SetGuardedAction(terminal, parse =>
        {
            Dataset dataset = Dataset.Load(DataCatalog.Resolve(parse.GetValue(data)!, parse.GetValue(dataDir)), DatasetSplit.Test);
            ReadOnlyMemory<byte>[] pictures = dataset.ImageSlices(parse.GetValue(images));
            string? apotModel = parse.GetValue(apot);
            var report = SwitchingReport.Measure(
                ModelFile.Load(parse.GetValue(bac)!), ModelFile.Load(parse.GetValue(mac)!), apotModel is null ? null : ModelFile.Load(apotModel),
                pictures, parse.GetValue(parallel), parse.GetValue(lanes), parse.GetValue(cycles), Path.GetFullPath(parse.GetValue(output)!),
                step => terminal.Error.WriteLine($"hw switching: {step}"));
            if (parse.GetValue(json)) Json.Write(terminal.Writer, report);
            else Render(terminal.Out, report);
            return 0;
        });
        return command;
    }

    private static void Render(IAnsiConsole console, SwitchingReport r)
    {
        var table = new Table().AddColumns("lane", "zero gating", "cycles", "products", "zero weights", "toggles", "toggles / op", "gates", "transistors");
        foreach (LaneActivity a in r.Lanes)
        {
            table.AddRow(a.Pe, a.ZeroGating ? "on" : "off", N(a.Cycles), N(a.Products), N(a.ZeroWeights), N(a.Toggles),
                a.TogglesPerOperation.ToString("0.0", CultureInfo.InvariantCulture), N(a.Cells), a.Transistors is long t ? N(t) : "");
        }

        console.Write(table);
        foreach ((string what, double ratio) in r.Ratios) console.MarkupLineInterpolated($"{what}: [bold]{ratio:0.00}x[/]");
        console.MarkupLineInterpolated($"source: {r.Source}");
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>What <c>potnet hw switching</c> reports.</summary>
internal sealed record SwitchingReport(IReadOnlyList<LaneActivity> Lanes, IReadOnlyDictionary<string, double> Ratios, string Source)
{
    /// <summary>
    /// Measures the lanes of a pot model on BAC, a uniform one on MAC (LUT multiplier) and optionally an
    /// apot one on APoT, on traces of <paramref name="images"/> under a P x L schedule, beside each energy
    /// preset's MAC/BAC ratio for one product.
    /// </summary>
    public static SwitchingReport Measure(
        QuantizedModel bac, QuantizedModel mac, QuantizedModel? apot, IReadOnlyList<ReadOnlyMemory<byte>> images,
        int parallel, int lanes, int cycles, string workDirectory, Action<string> progress)
    {
        var subjects = new List<LaneSubject>
        {
            new(new AcceleratorConfig(PeKind.Bac, 1, 1), bac),
            new(new AcceleratorConfig(PeKind.Mac, 1, 1, Multiplier: MacMultiplier.Lut), mac),
        };
        if (apot is not null) subjects.Add(new(new AcceleratorConfig(PeKind.Apot, 1, 1), apot));
        IReadOnlyList<LaneActivity> results = SwitchingActivity.Measure(subjects, images, parallel, lanes, cycles, workDirectory, progress);
        double Ratio(string name)
        {
            EnergyTable t = EnergyTable.Load(name);
            double Per(LaneSubject s) => SwitchingActivity.TableEnergyPerProduct(t, Schedule.Create(s.Model, s.Pe with { Parallel = parallel, Lanes = lanes }));
            return Per(subjects[1]) / Per(subjects[0]);
        }

        // A table that prices the BAC product at zero (asic-osu018 puts it into the adder tree) gives no ratio.
        var tables = EnergyTable.Presets.Select(name => (name, ratio: Ratio(name))).Where(r => double.IsFinite(r.ratio)).ToDictionary(r => r.name, r => r.ratio);
        return Of(results, tables);
    }

    private static SwitchingReport Of(IReadOnlyList<LaneActivity> lanes, IReadOnlyDictionary<string, double> tables)
    {
        var ratios = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (bool gating in new[] { false, true })
        {
            LaneActivity? b = lanes.FirstOrDefault(a => a.Pe == "bac" && a.ZeroGating == gating);
            LaneActivity? m = lanes.FirstOrDefault(a => a.Pe.StartsWith("mac", StringComparison.Ordinal) && a.ZeroGating == gating);
            if (b is not null && m is not null) ratios[$"measured MAC/BAC toggles per operation, gating {(gating ? "on" : "off")}"] = m.TogglesPerOperation / b.TogglesPerOperation;
        }

        foreach ((string table, double ratio) in tables) ratios[$"{table} table: MAC/BAC energy per product"] = ratio;
        return new SwitchingReport(lanes, ratios,
            "Yosys 0.23 generic-gate netlists of the rtl/ lanes, simulated in Icarus on operand traces of ReferenceEngine inferences; toggles of every internal net counted with equal weight (activity, not joules)");
    }
}
