using System.Globalization;
using PotNet.Hardware.Energy;
using PotNet.Serialization;

namespace PotNet.Cli.Reports;

/// <summary>
/// Turns a <see cref="ResultSet"/> into the report: report.md (with its figures as PNG files),
/// a self-contained report.html, and report.json. Every table says where its numbers come from.
/// </summary>
internal static class ReportBuilder
{
    /// <summary>
    /// The design energy ratios are taken against: uniform 4-bit weights on MAC processing elements
    /// (DSP multipliers where there are both), unpruned, on <paramref name="dataflow"/>.
    /// </summary>
    public static ResultPoint? Baseline(ResultSet set, string dataflow = "stream") => set.Points
        .Where(p => p.Design is { Pe: "mac" } d && d.Dataflow == dataflow && p.Weights == "uniform4" && p.Sparsity == 0)
        .OrderBy(p => p.Design!.Mac == "dsp" ? 0 : 1)
        .FirstOrDefault();

    /// <summary>The efficiency of <paramref name="p"/> against the uniform4-on-MAC design of its own dataflow (the paper's comparison at equal data movement).</summary>
    public static double? SameDataflowEfficiency(ResultSet set, ResultPoint p, string table) =>
        p.Design is { } d ? Efficiency(Baseline(set, d.Dataflow), p, table) : null;

    public static ReportDocument Build(ResultSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var doc = new ReportDocument();
        doc.Add(new Heading(1, set.Title));
        foreach ((string what, string source) in set.Sources) doc.Add(new Paragraph($"{what}: {source}"));

        doc.Add(new Heading(2, "Models"));
        doc.Add(new Table(
            ["model", "dataset", "weights", "pruning", "target sparsity", "zero weights", "accuracy", "images"],
            set.Points.DistinctBy(p => (p.Model, p.Weights, p.Sparsity, p.Pruning)).Select(p => Row(
                p.Model, p.Dataset, p.Weights, p.Pruning ?? "none", p.Pruning is null ? "" : Percent(p.Sparsity), p.ZeroWeights is double z ? Percent(z, 1) : "",
                p.Accuracy is double a ? Percent(a, 2) : "", p.AccuracyImages?.ToString(CultureInfo.InvariantCulture) ?? "")).ToArray()));

        ResultPoint[] designs = set.Points.Where(p => p.Design is not null).ToArray();
        if (designs.Length > 0)
        {
            doc.Add(new Heading(2, "Accelerators"));
            doc.Add(new Table(
                ["design", "dataflow", "P", "L", "zero gating", "zero skipping", "cycles / inference", "verified images", "mismatches", "LUT", "FF", "CARRY", "DSP", "BRAM"],
                designs.Select(p =>
                {
                    DesignFigures d = p.Design!;
                    ResourceFigures? r = d.Resources;
                    return Row(
                        Label(p), d.Dataflow, Int(d.P), Int(d.L), d.ZeroGating ? "yes" : "no", d.ZeroSkipping ? "yes" : "no", Int(d.CyclesPerInference), Int(d.VerifiedImages), Int(d.Mismatches),
                        r is null ? "" : Int(r.Luts), r is null ? "" : Int(r.FlipFlops), r is null ? "" : Int(r.Carries), r is null ? "" : Int(r.Dsps),
                        r is null ? "" : r.Brams.ToString("0.#", CultureInfo.InvariantCulture));
                }).ToArray()));
            AddTiming(doc, designs);
            AddEnergy(doc, set, designs);
            GatePowerSection.Add(doc, Baseline(set), designs);
        }

        AddFigure(doc, "pruning.png", "Accuracy against weight sparsity, by pruning method (ReferenceEngine on the test set).", ReportPlots.PruningCurve(set));
        AddFigure(doc, "pruning-cycles.png", "The pruning curve with zero skipping: accuracy against cycles per inference (the cycle model, equal to the RTL's counters), by pruning method, from the unpruned network's design without skipping.", ReportPlots.PruningCyclesCurve(set));
        AddFigure(doc, "resources-logic.png", "LUTs, flip-flops and carry chains per design: Yosys 0.23 synth_xilinx -family xcup estimates, not Vivado results.", ReportPlots.Logic(set));
        AddFigure(doc, "resources-blocks.png", "DSP48E2 slices and block RAM per design: Yosys 0.23 synth_xilinx -family xcup estimates, not Vivado results.", ReportPlots.Blocks(set));
        if (set.Switching is not null) AddSwitching(doc, set.Switching);
        if (set.Steps is { Count: > 0 } steps)
        {
            doc.Add(new Heading(2, "Steps"));
            doc.Add(new Paragraph($"Wall time each step took when it ran: in this run, or, for a cached step, in the earlier run that made its result. {steps.Count(s => s.Ran)} of {steps.Count} steps ran in this run; all steps together took {Seconds(steps.Sum(s => s.Seconds))}."));
            doc.Add(new Table(["step", "this run", "wall time"], [.. steps.Select(s => Row(s.Step, s.Ran ? "ran" : "cached", Seconds(s.Seconds)))]));
        }

        return doc;
    }

    /// <summary>Writes report.md, the figures, report.html and report.json into <paramref name="directory"/>.</summary>
    public static void Write(ResultSet set, string directory)
    {
        ReportDocument doc = Build(set);
        Directory.CreateDirectory(directory);
        foreach (Figure figure in doc.Blocks.OfType<Figure>())
        {
            AtomicFile.Write(Path.Combine(directory, figure.FileName), s => s.Write(figure.Png));
        }

        WriteText(Path.Combine(directory, "report.md"), doc.ToMarkdown());
        WriteText(Path.Combine(directory, "report.html"), doc.ToHtml(set.Title));
        set.Save(Path.Combine(directory, "report.json"));
    }

    private static void AddEnergy(ReportDocument doc, ResultSet set, ResultPoint[] designs)
    {
        ResultPoint? baseline = Baseline(set);
        foreach (string table in designs.SelectMany(p => p.Design!.Energy).Select(e => e.Table).Distinct().Order(StringComparer.Ordinal))
        {
            doc.Add(new Heading(2, $"Energy per inference: {table}"));
            doc.Add(new Paragraph($"An energy model: event counts from the cycle and event model (equal to the RTL simulation's counters) times the {table} table's energy per event, plus static power times latency. "
                + (baseline is null ? "No uniform4-on-MAC baseline in these results." : $"Efficiency is the energy of uniform4 on MAC of the same dataflow over the design's (BAC : MAC at equal data movement), and of {Label(baseline)} over the design's.")));
            (ResultPoint Point, EnergyFigures Energy)[] priced = [.. designs.Select(p => (p, e: p.EnergyUnder(table))).Where(x => x.e is not null).Select(x => (x.p, x.e!))];
            doc.Add(new Table(
                ["design", "dataflow", "total (nJ)", "dynamic (nJ)", "static (nJ)", "vs uniform4 mac, same dataflow", "vs baseline"],
                [.. priced.Select(x => Row(
                    Label(x.Point), x.Point.Design!.Dataflow, Nano(x.Energy.TotalPicojoules), Nano(x.Energy.DynamicPicojoules), Nano(x.Energy.StaticPicojoules),
                    SameDataflowEfficiency(set, x.Point, table) is double same ? Times(same) : "",
                    Efficiency(baseline, x.Point, table) is double f ? Times(f) : ""))]));
            AddBreakdown(doc, table, priced);
            AddFigure(doc, $"accuracy-energy-{table}.png", $"Accuracy against energy per inference under the {table} energy model.", ReportPlots.AccuracyVsEnergy(set, table));
            AddFigure(doc, $"layer-energy-{table}.png", $"Dynamic energy per inference by layer under the {table} energy model.", ReportPlots.LayerEnergy(set, table));
            AddFigure(doc, $"pruning-energy-{table}.png", $"The pruning curve with zero skipping: accuracy (ReferenceEngine on the test set) against energy per inference under the {table} energy model, by pruning method, from the unpruned network's design without skipping.", ReportPlots.PruningEnergyCurve(set, table));
        }
    }

    /// <summary>The same energies by storage level and component, and the share of memory and control (everything but the PEs' arithmetic and accumulators).</summary>
    private static void AddBreakdown(ReportDocument doc, string table, (ResultPoint Point, EnergyFigures Energy)[] priced)
    {
        string[] components = [.. priced.SelectMany(x => x.Energy.ByComponent.Keys).Distinct().Order(StringComparer.Ordinal)];
        string[] arithmetic = [DesignEvents.PeArithmetic, DesignEvents.Accumulators];
        doc.Add(new Paragraph($"Dynamic energy per inference by component under {table} (nJ, the same model): every storage level the dataflow has, the PEs' arithmetic and accumulators, and control."));
        doc.Add(new Table(
            ["design", "dataflow", .. components, "memory + control"],
            [.. priced.Select(x =>
            {
                IReadOnlyDictionary<string, double> by = x.Energy.ByComponent;
                double memory = by.Where(c => !arithmetic.Contains(c.Key)).Sum(c => c.Value);
                return Row([Label(x.Point), x.Point.Design!.Dataflow, .. components.Select(c => by.TryGetValue(c, out double v) ? Nano(v) : ""),
                    x.Energy.DynamicPicojoules > 0 ? Percent(memory / x.Energy.DynamicPicojoules) : ""]);
            })]));
    }

    private static void AddTiming(ReportDocument doc, ResultPoint[] designs)
    {
        ResultPoint[] timed = [.. designs.Where(p => p.Design!.Timing is not null)];
        if (timed.Length == 0) return;
        doc.Add(new Heading(2, "Timing at gate level"));
        doc.Add(new Paragraph($"Tool-computed: each design's logic mapped to {timed[0].Design!.Timing!.Library} cells by Yosys, its critical path found by OpenSTA (typical corner; memories timed as ideal registers). Latency and throughput at Fmax from the simulated cycles per inference."));
        doc.Add(new Table(
            ["design", "cells", "area (mm2)", "Fmax (MHz)", "latency at Fmax (us)", "inferences / s at Fmax", "critical path from", "to"],
            [.. timed.Select(p =>
            {
                DesignFigures d = p.Design!;
                TimingFigures t = d.Timing!;
                double latency = d.CyclesPerInference / t.FmaxMegahertz;
                return Row(
                    Label(p), Int(t.Cells), (t.AreaSquareMicrometres / 1e6).ToString("0.000", CultureInfo.InvariantCulture), t.FmaxMegahertz.ToString("0.0", CultureInfo.InvariantCulture),
                    latency.ToString("0.0", CultureInfo.InvariantCulture), (1e6 / latency).ToString("N0", CultureInfo.InvariantCulture), t.Startpoint, t.Endpoint);
            })]));
    }

    private static void AddSwitching(ReportDocument doc, Commands.SwitchingReport switching)
    {
        doc.Add(new Heading(2, "Switching activity of the PE lanes"));
        doc.Add(new Paragraph($"Source: {switching.Source}."));
        doc.Add(new Table(
            ["lane", "zero gating", "products", "zero weights", "toggles / operation", "gates", "transistors (at least)"],
            [.. switching.Lanes.Select(a => Row(a.Pe, a.ZeroGating ? "on" : "off", Int(a.Products), Int(a.ZeroWeights),
                a.TogglesPerOperation.ToString("0.0", CultureInfo.InvariantCulture), Int(a.Cells), a.Transistors is long t ? Int(t) : ""))]));
        doc.Add(new Table(["ratio", "value"], [.. switching.Ratios.Select(r => Row(r.Key, $"{r.Value.ToString("0.00", CultureInfo.InvariantCulture)}x"))]));
    }

    private static string Seconds(double s) => s < 120 ? $"{s.ToString("0.0", CultureInfo.InvariantCulture)} s" : $"{(s / 60).ToString("0.0", CultureInfo.InvariantCulture)} min";

    private static void AddFigure(ReportDocument doc, string file, string caption, byte[]? png)
    {
        if (png is not null) doc.Add(new Figure(file, caption, png));
    }

    /// <summary>The baseline's energy per inference over <paramref name="p"/>'s under <paramref name="table"/> (above 1: <paramref name="p"/> takes less); null when either is missing.</summary>
    public static double? Efficiency(ResultPoint? baseline, ResultPoint p, string table) =>
        baseline?.EnergyUnder(table)?.TotalPicojoules is double b && p.EnergyUnder(table)?.TotalPicojoules is double e && e > 0 ? b / e : null;

    /// <summary>An efficiency as printed: 1.06x.</summary>
    public static string Times(double ratio) => ratio.ToString("0.00", CultureInfo.InvariantCulture) + "x";

    /// <summary>A point's label on one line.</summary>
    public static string Label(ResultPoint p) => ReportPlots.DesignLabel(p).Replace('\n', ' ');

    private static string[] Row(params string[] cells) => cells;

    private static string Int(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double x, int decimals = 0) => x.ToString($"P{decimals}", CultureInfo.InvariantCulture);

    /// <summary>Picojoules as nanojoules, as the report prints them.</summary>
    public static string Nano(double picojoules) => (picojoules / 1000).ToString("0.###", CultureInfo.InvariantCulture);

    private static void WriteText(string path, string text) => AtomicFile.Write(path, s => s.Write(System.Text.Encoding.UTF8.GetBytes(text)));
}
