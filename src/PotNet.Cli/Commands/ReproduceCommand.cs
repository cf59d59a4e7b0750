using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using PotNet.Cli.Pipeline;
using PotNet.Cli.Reports;
using Spectre.Console;

namespace PotNet.Cli.Commands;

/// <summary>
/// <c>potnet reproduce [--full] [--data mnist] [--images N] [--out DIR]</c>: the paper's experiment end to end.
/// Trains lenet5 in float, uniform4 and pot4, prunes pot4 with <c>log</c>, generates and simulates the
/// BAC and MAC accelerators, synthesises them, prices their energy, and writes report.md, report.html
/// and report.json; <c>--full</c> adds what goes past the paper (see <see cref="ExperimentPlan.Reproduce"/>).
/// Every step is cached: a rerun does only what changed, and the two share their common steps.
/// </summary>
internal static class ReproduceCommand
{
    /// <summary>The pruning targets of the paper's comparison, and of <c>--full</c>'s pruning curve.</summary>
    private const string PaperSparsities = "50%,70%", FullSparsities = "30%,50%,70%,80%,90%";

    public static Command Create(Terminal terminal)
    {
        var experiment = new ExperimentOptions(images: 300, synth: SynthesisScope.Full);
        var full = new Option<bool>("--full") { Description = "Also apot4 on APoT, the 3-bit pair (uniform3 on MAC, pot3 on BAC), the pruned designs' synthesis and the lanes' switching activity." };
        var sparsity = new Option<string?>("--sparsity") { Description = $"Sparsities pot4 is pruned to with log pruning (comma-separated; default {PaperSparsities}, with --full the curve {FullSparsities})." };
        var output = new Option<string>("--out") { Description = "Directory for the report (and the cache, unless --cache).", DefaultValueFactory = _ => "reproduce" };
        var command = new Command("reproduce", "The paper's experiment end to end on lenet5: train, quantise, prune, generate, simulate, synthesise, price; write the report.")
        {
            full, sparsity, output,
        };
        experiment.AddTo(command);
        command.SetGuardedAction(terminal, parse =>
        {
            var clock = Stopwatch.StartNew();
            string directory = parse.GetValue(output)!;
            ExperimentPlan plan = experiment.Apply(parse, ExperimentPlan.Reproduce(
                ExperimentOptions.Sparsities("--sparsity", parse.GetValue(sparsity) ?? (parse.GetValue(full) ? FullSparsities : PaperSparsities)), parse.GetValue(full)));
            ResultSet set = experiment.Run(parse, terminal, plan, $"PotNet reproduce: {plan.Model} on {plan.Data}, power-of-two against uniform quantisation", directory, Shard.All);
            ReportBuilder.Write(set, directory);
            Summarize(terminal, set);
            terminal.Writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"report: {Path.Combine(directory, "report.html")} (and report.md, report.json); {clock.Elapsed.TotalMinutes:F1} min, {set.Steps!.Count(s => s.Ran)} of {set.Steps!.Count} steps ran, the rest were cached"));
            return Failed(terminal, set);
        });
        return command;
    }

    /// <summary>The summary table: each design's accuracy, cycles, resources and energy against uniform4 on MAC of the same dataflow.</summary>
    public static void Summarize(Terminal terminal, ResultSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        string[] tables = [.. set.Points.SelectMany(p => p.Design?.Energy ?? []).Select(e => e.Table).Distinct()];
        var table = new Spectre.Console.Table().AddColumns("design", "accuracy", "cycles", "LUT", "DSP", "BRAM");
        foreach (string t in tables) table.AddColumns($"{t} (nJ)", "vs uniform4 mac");
        foreach (ResultPoint p in set.Points)
        {
            var cells = new List<string> { ReportBuilder.Label(p), p.Accuracy is double a ? a.ToString("P2", CultureInfo.InvariantCulture) : "" };
            ResourceFigures? r = p.Design?.Resources;
            cells.Add(p.Design is { } d ? N(d.CyclesPerInference) : "");
            cells.AddRange(r is null ? ["", "", ""] : [N(r.Luts), N(r.Dsps), r.Brams.ToString("0.#", CultureInfo.InvariantCulture)]);
            foreach (string t in tables)
            {
                cells.Add(p.EnergyUnder(t) is { } e ? (e.TotalPicojoules / 1000).ToString("0.0", CultureInfo.InvariantCulture) : "");
                cells.Add(ReportBuilder.SameDataflowEfficiency(set, p, t) is double f ? ReportBuilder.Times(f) : "");
            }

            table.AddRow([.. cells.Select(Markup.Escape)]);
        }

        terminal.Out.Write(table);
    }

    /// <summary>Exit code 1, with one line per failed design, when a design's simulation was not bit-exact or its counters differed from the cycle model.</summary>
    public static int Failed(Terminal terminal, ResultSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        ResultPoint[] failed = [.. set.Points.Where(p => p.Design?.Failure is not null)];
        foreach (ResultPoint p in failed) terminal.Error.WriteLine($"error: {p.Id}: verification failed: {p.Design!.Failure}");
        return failed.Length == 0 ? 0 : PotNetCommand.InputError;
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}
