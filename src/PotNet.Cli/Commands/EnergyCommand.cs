using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PotNet.Hardware.Energy;
using PotNet.Hardware.Simulation;
using PotNet.Serialization;
using Spectre.Console;

namespace PotNet.Cli.Commands;

/// <summary>
/// <c>potnet energy M.potnet --design DIR [--tech asic-45nm|fpga-xcup|TABLE.json] [--clock MHz]</c>:
/// energy per inference of a generated design from its event counts and an energy table, by layer
/// and component; and <c>potnet energy calibrate</c>, which fits a table to measured power.
/// </summary>
internal static class EnergyCommand
{
    public static Command Create(Terminal terminal)
    {
        var model = new Argument<string>("model") { Description = "The .potnet model the design was generated from." };
        var design = new Option<string>("--design") { Description = "A directory written by potnet hw generate.", Required = true };
        var tech = Tech();
        var clock = Clock();
        var json = new Option<bool>("--json") { Description = "Print JSON instead of tables." };
        var command = new Command("energy", "Energy per inference of a generated accelerator: event counts x an energy table + static power x latency (an energy model).")
        {
            model, design, tech, clock, json, CalibrateCommand(terminal),
        };
        command.SetGuardedAction(terminal, parse =>
        {
            Design d = LoadDesign(parse.GetValue(design)!, parse.GetValue(model)!);
            EnergyTable table = EnergyTable.Load(parse.GetValue(tech)!);
            double mhz = parse.GetValue(clock);
            EnergyEstimate estimate = EnergyModel.Estimate(DesignEvents.Of(d.Schedule), table, PotNet.Hardware.CycleModel.Predict(d.Schedule).Cycles, mhz);
            var report = EnergyReport.Of(d, table, mhz, estimate);
            if (parse.GetValue(json)) Json.Write(terminal.Writer, report);
            else Render(terminal.Out, report);
            return 0;
        });
        return command;
    }

    private static Option<string> Tech() => new("--tech")
    {
        Description = $"An energy table: a preset ({string.Join(", ", EnergyTable.Presets)}) or a table file.",
        DefaultValueFactory = _ => "asic-45nm",
    };

    private static Option<double> Clock() => new("--clock")
    {
        Description = "Clock frequency in MHz (for static energy and latency).",
        DefaultValueFactory = _ => 100,
    };

    /// <summary>Loads the design and checks it was generated from <paramref name="modelPath"/>.</summary>
    private static Design LoadDesign(string directory, string modelPath)
    {
        Design d = Design.Load(directory);
        if (ModelFile.Digest(ModelFile.Load(modelPath)) != ModelFile.Digest(d.Schedule.Model))
        {
            throw new PotNetException($"{modelPath}: is not the model the design in {directory} was generated from");
        }

        return d;
    }

    private static Command CalibrateCommand(Terminal terminal)
    {
        var designs = new Option<string[]>("--design") { Description = "A generated design (repeat, one per --report, in the same order).", Required = true, AllowMultipleArgumentsPerToken = false };
        var reports = new Option<string[]>("--report") { Description = "Its measured power: Vivado report_power text or JSON {dynamic_w, static_w}.", Required = true };
        var tech = Tech();
        var clock = Clock();
        var output = new Option<string>("--out") { Description = "Where to write the calibrated table (JSON).", Required = true };
        var name = new Option<string?>("--name") { Description = "The calibrated table's name (default: the base table's, with -calibrated)." };
        var command = new Command("calibrate", "Fit an energy table's coefficients to measured power reports of designs whose event counts are known.")
        {
            designs, reports, tech, clock, output, name,
        };
        command.SetGuardedAction(terminal, parse =>
        {
            string[] d = parse.GetValue(designs)!, r = parse.GetValue(reports)!;
            if (d.Length != r.Length) throw new PotNetException($"energy calibrate: {d.Length} --design but {r.Length} --report: give one report per design");
            double mhz = parse.GetValue(clock);
            PowerMeasurement[] measurements = d.Zip(r, (dir, report) =>
            {
                Design design = Design.Load(dir);
                return new PowerMeasurement(Describe(design), DesignEvents.Of(design.Schedule), PotNet.Hardware.CycleModel.Predict(design.Schedule).Cycles, mhz, PowerReport.Load(report));
            }).ToArray();
            Calibration fit = EnergyCalibration.Fit(EnergyTable.Load(parse.GetValue(tech)!), measurements, parse.GetValue(name));
            string path = parse.GetValue(output)!;
            AtomicFile.Write(path, fit.Table.Write);
            terminal.Writer.WriteLine($"fit: {fit.Method}");
            // Kinds by the names the table file uses (memory_read), not the C# enum's (MemoryRead).
            foreach (EventKind kind in Enum.GetValues<EventKind>().Where(k => !fit.Factors.ContainsKey(k)))
            {
                terminal.Writer.WriteLine($"{JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString())}: not in any measured design, kept from the base table");
            }

            foreach ((EventKind kind, double f) in fit.Factors)
            {
                string value = f.ToString("G6", CultureInfo.InvariantCulture);
                terminal.Writer.WriteLine($"{JsonNamingPolicy.SnakeCaseLower.ConvertName(kind.ToString())}: {(fit.Table.Curves[kind].Note?.StartsWith("fitted", StringComparison.Ordinal) == true ? $"{value} pJ per event" : $"x {value}")}");
            }

            terminal.Writer.WriteLine($"static power: {fit.Table.StaticPowerMilliwatts.ToString("G6", CultureInfo.InvariantCulture)} mW");
            foreach (CalibrationRow row in fit.Rows)
            {
                terminal.Writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{row.Design} {row.Component ?? "all"}: measured {row.MeasuredPicojoules:0.0} pJ, fitted {row.FittedPicojoules:0.0} pJ ({row.RelativeError:+0.0%;-0.0%;0.0%})"));
            }

            terminal.Writer.WriteLine($"calibrated table written to {path}");
            return 0;
        });
        return command;
    }

    /// <summary>A design as a calibration names it: what it runs and how, rather than where it was written.</summary>
    private static string Describe(Design d) => string.Create(CultureInfo.InvariantCulture,
        $"{d.Manifest.WeightFormat} {d.Schedule.Model.WeightSparsity:P0} zeros on {d.Manifest.Pe}{(d.Manifest.MacMultiplier is string m ? $"/{m}" : "")} {d.Schedule.Config.DataflowName} P={d.Manifest.Parallel} L={d.Manifest.Lanes} ({d.Directory})");

    private static void Render(IAnsiConsole console, EnergyReport r)
    {
        console.MarkupLineInterpolated($"[bold]{r.Design}[/]: {r.Pe} P={r.Parallel} L={r.Lanes}{(r.ZeroGating ? " zero-gated" : "")}, {r.Cycles:N0} cycles at {r.ClockMegahertz} MHz = {r.LatencySeconds * 1e6:0.###} us");
        console.MarkupLineInterpolated($"energy per inference: [bold]{r.TotalPicojoules / 1000:0.###} nJ[/] (dynamic {r.DynamicPicojoules / 1000:0.###} nJ, static {r.StaticPicojoules / 1000:0.###} nJ)");
        console.MarkupLineInterpolated($"source: energy model, table {r.Table}; event counts from the cycle model (equal to the RTL's counters)");
        var layers = new Table().AddColumns("layer", "dynamic (nJ)", "share");
        foreach ((string layer, double pj) in r.ByLayer) layers.AddRow(layer, (pj / 1000).ToString("0.###", CultureInfo.InvariantCulture), (pj / r.DynamicPicojoules).ToString("P1", CultureInfo.InvariantCulture));
        console.Write(layers);
        var components = new Table().AddColumns("component", "dynamic (nJ)", "share");
        foreach ((string component, double pj) in r.ByComponent) components.AddRow(component, (pj / 1000).ToString("0.###", CultureInfo.InvariantCulture), (pj / r.DynamicPicojoules).ToString("P1", CultureInfo.InvariantCulture));
        console.Write(components);
    }
}

/// <summary>What <c>potnet energy</c> reports.</summary>
internal sealed record EnergyReport(
    string Design, string Pe, int Parallel, int Lanes, bool ZeroGating, string? Mac, string Weights, string Table, string Source,
    double ClockMegahertz, long Cycles, double LatencySeconds, double TotalPicojoules, double DynamicPicojoules, double StaticPicojoules,
    IReadOnlyDictionary<string, double> ByLayer, IReadOnlyDictionary<string, double> ByComponent, IReadOnlyList<EnergyLine> Lines)
{
    public static EnergyReport Of(Design d, EnergyTable table, double mhz, EnergyEstimate e) => new(
        d.Directory, d.Manifest.Pe, d.Manifest.Parallel, d.Manifest.Lanes, d.Manifest.ZeroGating, d.Manifest.MacMultiplier, d.Manifest.WeightFormat,
        table.Name, $"energy model: table {table.Name}; event counts from the cycle model (equal to the RTL's counters)",
        mhz, PotNet.Hardware.CycleModel.Predict(d.Schedule).Cycles, e.LatencySeconds, e.TotalPicojoules, e.DynamicPicojoules, e.StaticPicojoules, e.ByLayer(), e.ByComponent(), e.Lines);
}
