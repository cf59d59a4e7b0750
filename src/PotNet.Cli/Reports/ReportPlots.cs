using ScottPlot;

namespace PotNet.Cli.Reports;

/// <summary>
/// The report's figures (ScottPlot, rendered headless to PNG): every axis labelled with its unit, a
/// legend wherever there is more than one series. Each returns null when the results hold nothing to plot.
/// </summary>
internal static class ReportPlots
{
    private const int Width = 900, Height = 520;

    /// <summary>Accuracy against energy per inference under <paramref name="table"/>, one series per PE kind.</summary>
    public static byte[]? AccuracyVsEnergy(ResultSet set, string table)
    {
        var points = set.Points.Where(p => p.Accuracy is not null && p.EnergyUnder(table) is not null).ToArray();
        if (points.Length == 0) return null;
        var plot = new Plot();
        foreach (var group in points.GroupBy(p => p.Design!.Pe).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var series = plot.Add.ScatterPoints(group.Select(p => p.EnergyUnder(table)!.TotalPicojoules / 1000).ToArray(), group.Select(p => p.Accuracy!.Value * 100).ToArray());
            series.LegendText = $"{group.Key} PEs";
            series.MarkerSize = 9;
        }

        // Designs at the same point (one model on MAC with DSP or LUT multipliers under the ASIC table) share one label.
        foreach (var same in points.GroupBy(p => (p.EnergyUnder(table)!.TotalPicojoules, p.Accuracy!.Value)))
        {
            string text = string.Join(", ", same.GroupBy(p => DesignLabel(p).Split('\n')[0]).Select(m => $"{m.Key} {string.Join(", ", m.Select(p => DesignLabel(p).Split('\n')[^1]))}"));
            var label = plot.Add.Text(text, same.Key.TotalPicojoules / 1000, same.Key.Value * 100);
            label.LabelFontSize = 11;
            label.LabelOffsetX = 6;
        }

        // Room on the right for the labels of the rightmost points.
        plot.Axes.Margins(left: 0.08, right: 0.3, bottom: 0.12, top: 0.12);
        return Render(plot, $"Accuracy vs energy per inference ({table} energy model)", "energy per inference (nJ)", "test accuracy (%)", Alignment.LowerRight);
    }

    /// <summary>Fabric resources of each design: LUTs, flip-flops and carry chains, grouped by design.</summary>
    public static byte[]? Logic(ResultSet set) =>
        Resources(set, "Logic per design (Yosys synth_xilinx estimates, UltraScale+)", "count", [("LUT", r => r.Luts), ("FF", r => r.FlipFlops), ("CARRY", r => r.Carries)]);

    /// <summary>Hard blocks of each design: DSP48E2 slices and block RAM, on a scale of their own (tens where LUTs are thousands).</summary>
    public static byte[]? Blocks(ResultSet set) =>
        Resources(set, "DSP and block RAM per design (Yosys synth_xilinx estimates, UltraScale+)", "count (BRAM in 36 Kb tiles)", [("DSP48E2", r => r.Dsps), ("BRAM", r => r.Brams)]);

    private static byte[]? Resources(ResultSet set, string title, string unit, (string Name, Func<ResourceFigures, double> Value)[] kinds)
    {
        var designs = set.Points.Where(p => p.Design?.Resources is not null).ToArray();
        if (designs.Length == 0) return null;
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var bars = new List<Bar>();
        for (int d = 0; d < designs.Length; d++)
        {
            for (int k = 0; k < kinds.Length; k++)
            {
                double value = kinds[k].Value(designs[d].Design!.Resources!);
                bars.Add(new Bar
                {
                    Position = d * (kinds.Length + 1) + k, Value = value, FillColor = palette.GetColor(k),
                    Label = value.ToString("#,0.#", System.Globalization.CultureInfo.InvariantCulture), LabelOnTop = true,
                });
            }
        }

        plot.Add.Bars(bars);
        for (int k = 0; k < kinds.Length; k++) plot.Legend.ManualItems.Add(new LegendItem { LabelText = kinds[k].Name, FillColor = palette.GetColor(k) });
        plot.Axes.Bottom.SetTicks(
            designs.Select((_, d) => d * (kinds.Length + 1) + (kinds.Length - 1) / 2.0).ToArray(),
            designs.Select(p => DesignLabel(p)).ToArray());
        plot.Axes.SetLimitsY(0, Math.Max(1, bars.Max(b => b.Value)) * 1.12);
        return Render(plot, title, "design", unit, Edge.Right);
    }

    /// <summary>
    /// Accuracy against the fraction of zero weights, one series per pruning method and weight format,
    /// starting from the unpruned network of that format.
    /// </summary>
    public static byte[]? PruningCurve(ResultSet set)
    {
        var pruned = set.Points.Where(p => p.Pruning is not null && p.Accuracy is not null).DistinctBy(p => (p.Weights, p.Pruning, p.Sparsity)).ToArray();
        if (pruned.Length == 0) return null;
        var plot = new Plot();
        foreach (var series in pruned.GroupBy(p => (p.Pruning, p.Weights)).OrderBy(g => g.Key.ToString(), StringComparer.Ordinal))
        {
            ResultPoint[] curve = [
                .. set.Points.Where(p => p.Pruning is null && p.Weights == series.Key.Weights && p.Accuracy is not null).Take(1),
                .. series.OrderBy(p => p.Sparsity),
            ];
            var scatter = plot.Add.Scatter(curve.Select(p => (p.ZeroWeights ?? p.Sparsity) * 100).ToArray(), curve.Select(p => p.Accuracy!.Value * 100).ToArray());
            scatter.LegendText = $"{series.Key.Weights}, {series.Key.Pruning} pruning";
            scatter.MarkerSize = 8;
        }

        return Render(plot, "Pruning: accuracy vs zero weights", "zero weights (% of all weights)", "test accuracy (%)", Edge.Right);
    }

    /// <summary>
    /// The pruning curve in the accelerator: accuracy against energy per inference under
    /// <paramref name="table"/>, one series per pruning method and weight format, over the designs with
    /// zero skipping, each starting from the unpruned network's design of the same dataflow without it.
    /// </summary>
    public static byte[]? PruningEnergyCurve(ResultSet set, string table) => SkippingCurve(
        set, p => p.EnergyUnder(table) is { } e ? e.TotalPicojoules / 1000 : null,
        $"Pruning with zero skipping: accuracy vs energy per inference ({table} energy model)", "energy per inference (nJ)");

    /// <summary>The pruning curve in the accelerator: accuracy against cycles per inference (the cycle model, equal to the RTL's), as <see cref="PruningEnergyCurve"/>.</summary>
    public static byte[]? PruningCyclesCurve(ResultSet set) => SkippingCurve(
        set, p => p.Design!.CyclesPerInference, "Pruning with zero skipping: accuracy vs cycles per inference", "cycles per inference");

    private static byte[]? SkippingCurve(ResultSet set, Func<ResultPoint, double?> x, string title, string xLabel)
    {
        var skipping = set.Points.Where(p => p.Design is { ZeroSkipping: true } && p.Pruning is not null && p.Accuracy is not null && x(p) is not null).ToArray();
        if (skipping.Length == 0) return null;
        var plot = new Plot();
        foreach (var series in skipping.GroupBy(p => (p.Pruning, p.Weights, p.Design!.Pe, p.Design.Dataflow)).OrderBy(g => g.Key.ToString(), StringComparer.Ordinal))
        {
            ResultPoint[] curve = [
                .. set.Points.Where(p => p.Pruning is null && p.Weights == series.Key.Weights && p.Accuracy is not null && x(p) is not null
                    && p.Design is { ZeroSkipping: false } d && d.Pe == series.Key.Pe && d.Dataflow == series.Key.Dataflow).Take(1),
                .. series.OrderBy(p => p.Sparsity),
            ];
            var scatter = plot.Add.Scatter(curve.Select(p => x(p)!.Value).ToArray(), curve.Select(p => p.Accuracy!.Value * 100).ToArray());
            scatter.LegendText = $"{series.Key.Weights}, {series.Key.Pruning} pruning";
            scatter.MarkerSize = 8;
        }

        return Render(plot, title, xLabel, "test accuracy (%)", Alignment.LowerRight);
    }

    /// <summary>Energy per inference of each design, stacked by layer, under <paramref name="table"/>.</summary>
    public static byte[]? LayerEnergy(ResultSet set, string table)
    {
        var designs = set.Points.Where(p => p.EnergyUnder(table) is not null).ToArray();
        if (designs.Length == 0) return null;
        // Layers in network order, as the energy model lists them.
        string[] layers = designs.SelectMany(p => p.EnergyUnder(table)!.ByLayer.Keys).Distinct().ToArray();
        var palette = new ScottPlot.Palettes.Category10();
        var plot = new Plot();
        var bars = new List<Bar>();
        for (int d = 0; d < designs.Length; d++)
        {
            double bottom = 0;
            IReadOnlyDictionary<string, double> byLayer = designs[d].EnergyUnder(table)!.ByLayer;
            for (int l = 0; l < layers.Length; l++)
            {
                double value = byLayer.GetValueOrDefault(layers[l]) / 1000;
                bars.Add(new Bar { Position = d, ValueBase = bottom, Value = bottom + value, FillColor = palette.GetColor(l) });
                bottom += value;
            }
        }

        plot.Add.Bars(bars);
        for (int l = 0; l < layers.Length; l++) plot.Legend.ManualItems.Add(new LegendItem { LabelText = layers[l], FillColor = palette.GetColor(l) });
        plot.Axes.Bottom.SetTicks(designs.Select((_, d) => (double)d).ToArray(), designs.Select(p => DesignLabel(p)).ToArray());
        plot.Axes.SetLimitsY(0, bars.Max(b => b.Value) * 1.05);
        return Render(plot, $"Dynamic energy per inference by layer ({table} energy model)", "design", "dynamic energy per inference (nJ)", Edge.Right);
    }

    /// <summary>The weights (and pruning method and target) over the PE kind; the weights alone for a point without a design.</summary>
    public static string DesignLabel(ResultPoint p) =>
        $"{p.Weights}{(p.Pruning is string m ? $" {m} {p.Sparsity:P0}" : "")}{(p.Design is { } d ? $"\n{d.Pe}{(d.Mac is null ? "" : $"/{d.Mac}")}{(d.Dataflow == "stream" ? "" : $" {d.Dataflow}")}{(d.ZeroSkipping ? " skipping" : "")}" : "")}";

    private static byte[] Render(Plot plot, string title, string x, string y, Alignment legend = Alignment.UpperRight) =>
        Render(plot, title, x, y, () => plot.ShowLegend(legend));

    /// <summary>Renders with the legend outside the data area, beside <paramref name="edge"/>, where it hides no bar.</summary>
    private static byte[] Render(Plot plot, string title, string x, string y, Edge edge) =>
        Render(plot, title, x, y, () => plot.ShowLegend(edge));

    private static byte[] Render(Plot plot, string title, string x, string y, Action showLegend)
    {
        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        // Even one series gets its legend, placed where asked (ScottPlot would otherwise draw it inside, over the data).
        if (plot.Legend.ManualItems.Count > 0 || plot.GetPlottables().Any()) showLegend();
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }
}
