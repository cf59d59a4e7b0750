using System.Globalization;

namespace PotNet.Cli.Reports;

/// <summary>
/// The report's gate-level power: per design its energy by component (cells tool-computed, memories
/// modelled), its efficiency against the baseline at gate level, and every energy table's estimate
/// of the same design at the same clock beside it, component by component.
/// </summary>
internal static class GatePowerSection
{
    /// <summary>Adds the section when some design was measured at gate level.</summary>
    public static void Add(ReportDocument doc, ResultPoint? baseline, IReadOnlyList<ResultPoint> designs)
    {
        ResultPoint[] measured = [.. designs.Where(p => p.Design!.GatePower is not null)];
        if (measured.Length == 0) return;
        GatePowerFigures first = measured[0].Design!.GatePower!;
        doc.Add(new Heading(2, $"Gate-level power ({first.Library})"));
        doc.Add(new Paragraph($"Per inference, on the first {first.Images} test images. Cells: {first.LogicSource}. Memories: {first.MemorySource}. Static: leakage over the latency at the design's Fmax. Efficiency is {(baseline is null ? "not given (no uniform4-on-MAC baseline)" : $"{ReportBuilder.Label(baseline)}'s gate-level energy over the design's")}."));

        (string Component, bool Memory)[] parts = [.. measured.SelectMany(p => p.Design!.GatePower!.Components).Select(c => (c.Component, c.Memory)).Distinct()];
        GatePowerFigures? reference = baseline?.Design?.GatePower;
        doc.Add(new Table(
            ["design", "bit-exact", "cells", "area (mm2)", "Fmax (MHz)", .. parts.Select(c => $"{c.Component}{(c.Memory ? " memories" : "")} (nJ)"), "dynamic (nJ)", "static (nJ)", "total (nJ)", "efficiency vs baseline"],
            [.. measured.Select(p =>
            {
                GatePowerFigures g = p.Design!.GatePower!;
                return (string[])[
                    ReportBuilder.Label(p), g.BitExact ? $"yes ({g.Images})" : "NO", g.Cells.ToString("N0", CultureInfo.InvariantCulture),
                    (g.AreaSquareMicrometres / 1e6).ToString("0.000", CultureInfo.InvariantCulture), g.FmaxMegahertz.ToString("0.0", CultureInfo.InvariantCulture),
                    .. parts.Select(c => ReportBuilder.Nano(g.Components.Where(x => x.Component == c.Component && x.Memory == c.Memory).Sum(x => x.DynamicPicojoules))),
                    ReportBuilder.Nano(g.DynamicPicojoules), ReportBuilder.Nano(g.StaticPicojoules), ReportBuilder.Nano(g.TotalPicojoules),
                    reference is null ? "" : ReportBuilder.Times(reference.TotalPicojoules / g.TotalPicojoules)];
            })]));

        string[] tables = [.. measured.SelectMany(p => p.Design!.GatePower!.Tables ?? []).Select(e => e.Table).Distinct().Order(StringComparer.Ordinal)];
        doc.Add(new Paragraph("The energy tables (event counts x energy per event: a model) on the same designs at the same clock, against gate level: the ratio is the table's total over the gate-level total; the efficiencies are against the same baseline."));
        doc.Add(new Table(
            ["design", "gate level (nJ)", "efficiency at gate level", .. tables.SelectMany(t => new[] { $"{t} (nJ)", $"{t} / gate level", $"{t} efficiency" })],
            [.. measured.Select(p =>
            {
                GatePowerFigures g = p.Design!.GatePower!;
                return (string[])[
                    ReportBuilder.Label(p), ReportBuilder.Nano(g.TotalPicojoules), reference is null ? "" : ReportBuilder.Times(reference.TotalPicojoules / g.TotalPicojoules),
                    .. tables.SelectMany(t => Table(g, t) is EnergyFigures e
                        ? new[] { ReportBuilder.Nano(e.TotalPicojoules), (e.TotalPicojoules / g.TotalPicojoules).ToString("0.000", CultureInfo.InvariantCulture), reference is not null && Table(reference, t) is EnergyFigures r ? ReportBuilder.Times(r.TotalPicojoules / e.TotalPicojoules) : "" }
                        : ["", "", ""])];
            })]));

        foreach (string t in tables)
        {
            string[] components = [.. parts.Select(c => c.Component).Distinct()];
            doc.Add(new Paragraph($"By component, {t} against gate level (cells and memories together; the table's difference from gate level in per cent)."));
            doc.Add(new Table(
                ["design", .. components.Select(c => $"{c}: gate / {t} (nJ), difference")],
                [.. measured.Select(p =>
                {
                    GatePowerFigures g = p.Design!.GatePower!;
                    IReadOnlyDictionary<string, double> gate = g.ByComponent();
                    EnergyFigures? e = Table(g, t);
                    return (string[])[ReportBuilder.Label(p), .. components.Select(c =>
                    {
                        double at = gate.GetValueOrDefault(c), model = e?.ByComponent.GetValueOrDefault(c) ?? 0;
                        string difference = at > 0 ? ((model - at) / at).ToString("+0%;-0%;0%", CultureInfo.InvariantCulture) : "";
                        return $"{ReportBuilder.Nano(at)} / {ReportBuilder.Nano(model)}, {difference}";
                    })];
                })]));
        }
    }

    private static EnergyFigures? Table(GatePowerFigures g, string table) => g.Tables?.FirstOrDefault(e => e.Table == table);
}
