using System.Text.Json;
using PotNet.Serialization;

namespace PotNet.Hardware.Synthesis;

/// <summary>
/// What Yosys's <c>stat -json</c> counted in a synthesised design. For an UltraScale+ netlist:
/// LUTs, flip-flops, carry chains, DSP48E2 slices and block RAM (36 Kb equivalents); for a generic
/// gate netlist: cells and, with <c>-tech cmos</c>, transistors. Yosys estimates, not Vivado's
/// post-implementation numbers.
/// </summary>
/// <param name="Tool">The tool and version that produced the counts.</param>
/// <param name="CellsByType">Cells of each type.</param>
/// <param name="Transistors">Yosys's CMOS transistor estimate, when asked for.</param>
public sealed record ResourceReport(string Tool, IReadOnlyDictionary<string, long> CellsByType, long? Transistors)
{
    /// <summary>All cells.</summary>
    public long Cells => CellsByType.Values.Sum();

    /// <summary>Look-up tables (LUT1 to LUT6).</summary>
    public long Luts => Count(t => t.StartsWith("LUT", StringComparison.Ordinal) && t.Length == 4);

    /// <summary>Flip-flops (FDRE, FDSE, FDCE, FDPE).</summary>
    public long FlipFlops => Count(t => t is "FDRE" or "FDSE" or "FDCE" or "FDPE");

    /// <summary>Carry-chain primitives (CARRY4, CARRY8).</summary>
    public long Carries => Count(t => t is "CARRY4" or "CARRY8");

    /// <summary>DSP slices (DSP48E2, or DSP48E1 on older families).</summary>
    public long Dsps => Count(t => t.StartsWith("DSP48", StringComparison.Ordinal));

    /// <summary>Block RAM in 36 Kb tiles: a RAMB36 counts 1, a RAMB18 half.</summary>
    public double Brams => Count(t => t.StartsWith("RAMB36", StringComparison.Ordinal)) + Count(t => t.StartsWith("RAMB18", StringComparison.Ordinal)) / 2.0;

    /// <summary>Wide multiplexers (MUXF7, MUXF8, MUXF9), which use slice resources beside the LUTs.</summary>
    public long WideMuxes => Count(t => t.StartsWith("MUXF", StringComparison.Ordinal));

    /// <summary>Parses the output of Yosys's <c>stat -json</c> (whole design); <paramref name="source"/> names it in errors.</summary>
    public static ResourceReport Parse(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        using JsonDocument document = JsonFields.Parse(stream, source);
        JsonFields root = JsonFields.Root(document.RootElement, source);
        JsonFields design = root.Child("design");
        var cells = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach ((string type, JsonElement value) in design.Child("num_cells_by_type").Properties())
        {
            cells[type] = value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out long n) && n >= 0
                ? n
                : throw design.Error($"num_cells_by_type.{type}", "is not a cell count");
        }

        // Yosys writes the transistor estimate as a string, ending in '+' when some cells (flip-flops)
        // have no CMOS model: then it is a lower bound.
        long? transistors = design.OptionalText("estimated_num_transistors") is string t
            ? long.TryParse(t.TrimEnd('+'), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long v) ? v : throw design.Error("estimated_num_transistors", $"'{t}' is not a count")
            : null;
        return new ResourceReport(root.OptionalText("creator") ?? "Yosys", cells, transistors);
    }

    private long Count(Func<string, bool> type) => CellsByType.Where(c => type(c.Key)).Sum(c => c.Value);
}
