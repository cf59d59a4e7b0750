using System.CommandLine;
using System.Globalization;
using PotNet.Data;
using PotNet.Hardware;
using PotNet.Hardware.Simulation;
using Spectre.Console;

namespace PotNet.Cli.Commands;

/// <summary>
/// <c>potnet hw verify DIR --data mnist --images N [--sim verilator|icarus] [--gaps PCT] [--stall PCT] [--seed N]</c>:
/// simulates the design, compares every logit and class with the ReferenceEngine and every counter
/// with the cycle model (whose cycles, when the bench holds the stream, are plus the held cycles).
/// </summary>
internal static class HwVerifyCommand
{
    private const int ShownMismatches = 20;

    public static Command Create(Terminal terminal)
    {
        var directory = new Argument<string>("design") { Description = "A directory written by potnet hw generate." };
        var data = DataOptions.Data();
        var dataDir = DataOptions.DataDir();
        var split = new Option<DatasetSplit>("--split") { Description = "Which split to take images from.", DefaultValueFactory = _ => DatasetSplit.Test };
        var images = new Option<int>("--images") { Description = "How many images to simulate (the first N).", DefaultValueFactory = _ => 100 };
        images.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1) r.AddError("--images must be at least 1");
        });
        var simulator = new Option<Simulator>("--sim") { Description = "The simulator: verilator (lints the design too) or icarus.", DefaultValueFactory = _ => Simulator.Verilator };
        var gaps = Percent("--gaps", "Withhold the input's tvalid in this share of cycles (random gaps; 0 to 99).");
        var stall = Percent("--stall", "Drop the output's tready in this share of cycles (random backpressure; 0 to 99).");
        var seed = new Option<int>("--seed") { Description = "Seed of the testbench's random gaps and stalls.", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text." };
        var command = new Command("verify", "Simulate a generated design on dataset images; compare with the reference engine and the cycle model.")
        {
            directory, data, dataDir, split, images, simulator, gaps, stall, seed, json,
        };
        command.SetGuardedAction(terminal, parse =>
        {
            var design = Design.Load(parse.GetValue(directory)!);
            Dataset dataset = Dataset.Load(DataCatalog.Resolve(parse.GetValue(data)!, parse.GetValue(dataDir)), parse.GetValue(split));
            dataset = dataset.Take(Math.Min(parse.GetValue(images), dataset.Count));
            DataOptions.CheckShape(design.Schedule.Model, dataset);
            ReadOnlyMemory<byte>[] pictures = dataset.ImageSlices(dataset.Count);
            var stimulus = new StreamStimulus(parse.GetValue(gaps), parse.GetValue(stall), parse.GetValue(seed));
            Verification v = Verifier.Run(design, pictures, parse.GetValue(simulator), progress: step => terminal.Error.WriteLine($"hw verify: {step}"), stimulus: stimulus);
            var report = VerifyReport.Of(design, dataset.Name, v);
            if (parse.GetValue(json)) Json.Write(terminal.Writer, report);
            else Render(terminal, report, v);
            if (v.Passed) return 0;
            terminal.Error.WriteLine($"error: verification failed: {v.Failure}");
            return PotNetCommand.InputError;
        });
        return command;
    }

    private static void Render(Terminal terminal, VerifyReport report, Verification v)
    {
        TextWriter w = terminal.Writer;
        if (v.LintWarnings is not null) w.WriteLine(v.LintWarnings.Length == 0 ? "lint: clean (verilator --lint-only -Wall)" : $"lint: warnings\n{v.LintWarnings}");
        foreach (Mismatch m in v.Mismatches.Take(ShownMismatches))
        {
            w.WriteLine(m.Output < 0
                ? $"mismatch: image {m.Image}: class {m.Got}, reference {m.Expected}"
                : $"mismatch: image {m.Image}: logit {m.Output} = {m.Got}, reference {m.Expected}");
        }

        if (v.Mismatches.Count > ShownMismatches) w.WriteLine($"... and {v.Mismatches.Count - ShownMismatches} more mismatches");
        w.WriteLine($"{report.Design}: {report.Images} {report.Data} images in {report.Simulator}: {report.Mismatches} mismatches " +
            $"({(v.BitExact ? "bit-exact with the reference engine" : "NOT bit-exact")})");
        w.WriteLine($"cycles per inference: {report.CyclesPerInference} (cycle model {report.PredictedCycles}; {v.CycleMismatches} images differ)");
        if (v.Stalls > 0) w.WriteLine($"the testbench held the stream for {v.Stalls} counted cycles (gaps in tvalid, tready low), added to the model's cycles");
        w.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"build {report.BuildSeconds:F1} s, simulation {report.SimulationSeconds:F1} s, {report.SimulatedCyclesPerSecond:N0} simulated cycles/s"));
        var table = new Table().AddColumns("counter", "per inference", "RTL total", "model total", "");
        foreach (CounterRow row in report.Counters)
        {
            table.AddRow(row.Name, Count(row.PerInference), Count(row.Measured), Count(row.Predicted), row.Measured == row.Predicted ? "equal" : "DIFFERENT");
        }

        terminal.Out.Write(table);
    }

    private static Option<int> Percent(string name, string description)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => 0 };
        option.Validators.Add(r =>
        {
            int value = r.GetValueOrDefault<int>();
            if (value is < 0 or > 99) r.AddError($"{name}: {value} must be between 0 and 99");
        });
        return option;
    }

    private static string Count(double n) => n.ToString("#,0.##", CultureInfo.InvariantCulture);
}

/// <summary>What <c>potnet hw verify</c> reports.</summary>
internal sealed record VerifyReport(
    string Design, string Pe, int Parallel, int Lanes, bool ZeroGating, string Data, string Simulator, int Images, int Mismatches,
    bool BitExact, bool CountersMatch, long CyclesPerInference, long PredictedCycles, double BuildSeconds, double SimulationSeconds,
    double SimulatedCyclesPerSecond, bool? LintClean, IReadOnlyList<CounterRow> Counters, bool Passed)
{
    public static VerifyReport Of(Design design, string data, Verification v)
    {
        CounterRow[] counters = [.. v.Measured.Items.Zip(v.Predicted.Items, (m, p) => new CounterRow(m.Key, (double)m.Value / v.Images, m.Value, p.Value))];
        return new VerifyReport(
            design.Directory, design.Manifest.Pe, design.Manifest.Parallel, design.Manifest.Lanes, design.Manifest.ZeroGating, data,
            v.Simulator.ToString().ToLowerInvariant(), v.Images, v.Mismatches.Count, v.BitExact, v.CountersMatch,
            v.Measured.Cycles / v.Images, v.PredictedCycles, v.BuildTime.TotalSeconds, v.SimulationTime.TotalSeconds,
            v.CyclesPerSecond, v.LintWarnings is null ? null : v.LintWarnings.Length == 0, counters, v.Passed);
    }
}

/// <summary>One counter: measured in the RTL and predicted by the cycle model.</summary>
internal sealed record CounterRow(string Name, double PerInference, long Measured, long Predicted);
