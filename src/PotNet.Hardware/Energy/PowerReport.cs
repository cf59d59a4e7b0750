using System.Globalization;
using System.Text.RegularExpressions;
using PotNet.Serialization;

namespace PotNet.Hardware.Energy;

/// <summary>
/// A measured or vendor-estimated power figure for a design running inferences back to back: total,
/// dynamic and static power. Read from Vivado's <c>report_power</c> text (the rows "Total On-Chip
/// Power (W)", "Dynamic (W)", "Device Static (W)") or from JSON <c>{"dynamic_w": .., "static_w": ..}</c>,
/// optionally with the dynamic power by component, <c>"components_w": {"pe_arithmetic": .., ...}</c>
/// (<see cref="DesignEvents"/>' component names; <c>potnet hw power --power-report</c> writes them).
/// </summary>
/// <param name="Source">The file it was read from.</param>
/// <param name="DynamicWatts">Dynamic power.</param>
/// <param name="StaticWatts">Static power.</param>
/// <param name="ComponentWatts">Dynamic power by component, summing to <paramref name="DynamicWatts"/>; null when the report has no breakdown.</param>
public sealed partial record PowerReport(string Source, double DynamicWatts, double StaticWatts, IReadOnlyDictionary<string, double>? ComponentWatts = null)
{
    /// <summary>Dynamic plus static power.</summary>
    public double TotalWatts => DynamicWatts + StaticWatts;

    /// <summary>Reads a report file (Vivado text or JSON).</summary>
    public static PowerReport Load(string path)
    {
        if (!File.Exists(path)) throw new PotNetException($"{path}: no such power report");
        string text = File.ReadAllText(path);
        return text.TrimStart().StartsWith('{') ? FromJson(text, path) : FromVivado(text, path);
    }

    /// <summary>Parses Vivado <c>report_power</c> text.</summary>
    public static PowerReport FromVivado(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        double Row(string label)
        {
            Match m = VivadoRow().Matches(text).FirstOrDefault(r => r.Groups["label"].Value.Trim() == label)
                ?? throw new PotNetException($"{source}: '{label}': row not found (is this a Vivado report_power file?)");
            return double.TryParse(m.Groups["value"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && v >= 0
                ? v
                : throw new PotNetException($"{source}: '{label}': '{m.Groups["value"].Value}' is not a power in watts");
        }

        return Checked(new PowerReport(source, Row("Dynamic (W)"), Row("Device Static (W)")), text.Contains("Total On-Chip Power", StringComparison.Ordinal) ? Row("Total On-Chip Power (W)") : null);
    }

    private static PowerReport FromJson(string text, string source)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        using var document = JsonFields.Parse(stream, source);
        JsonFields root = JsonFields.Root(document.RootElement, source);
        double dynamic = root.Number("dynamic_w"), statik = root.Number("static_w");
        if (dynamic < 0) throw root.Error("dynamic_w", "must not be negative");
        if (statik < 0) throw root.Error("static_w", "must not be negative");
        Dictionary<string, double>? components = null;
        if (root.OptionalChild("components_w") is JsonFields parts)
        {
            components = parts.Properties().ToDictionary(p => p.Name, p => parts.Number(p.Name), StringComparer.Ordinal);
            if (components.FirstOrDefault(c => c.Value < 0) is { Key: string negative }) throw parts.Error(negative, "must not be negative");
            double sum = components.Values.Sum();
            if (Math.Abs(sum - dynamic) > 1e-6 * Math.Max(dynamic, 1e-12)) throw root.Error("components_w", $"sum to {sum} W, not dynamic_w = {dynamic} W");
        }

        return Checked(new PowerReport(source, dynamic, statik, components), root.OptionalNumber("total_w"));
    }

    /// <summary>Where the report gives a total, it must be the sum of its parts (to the report's rounding).</summary>
    private static PowerReport Checked(PowerReport report, double? total)
    {
        if (total is double t && Math.Abs(t - report.TotalWatts) > 0.002 + 0.01 * t)
        {
            throw new PotNetException($"{report.Source}: total power {t} W is not dynamic + static = {report.TotalWatts} W");
        }

        return report;
    }

    [GeneratedRegex(@"^\|\s*(?<label>[^|]+?)\s*\|\s*(?<value>[-+0-9.eE<]+)\s*\|", RegexOptions.Multiline)]
    private static partial Regex VivadoRow();
}
