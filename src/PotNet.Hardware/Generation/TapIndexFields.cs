using System.Numerics;

namespace PotNet.Hardware.Generation;

/// <summary>
/// The fields of a tap index word, declared once (the compressed weight stream of a zero-skipping
/// design, <see cref="ZeroSkipping"/>): per weighted pass, group and issued step of one position, the
/// digits of the step's first tap (<see cref="RowBufferDataflow.TapIndex"/>: its kernel column and row
/// in their own widths, its bank and channel group; the address unit derives its row and group offsets,
/// <see cref="RowBufferDataflow.Expand"/>), which every lane adds to its start instead of counting, and
/// two flags. <see cref="RomImages.TapIndex"/> packs them, field 0 in the low bits; the top level slices
/// the ROM's (or its register file's) word into wires of these names, which are the row-buffer core's
/// inputs of the same names and widths (a test checks the core's declarations).
/// </summary>
internal static class TapIndexFields
{
    /// <summary>Every field, low bits first.</summary>
    public static IReadOnlyList<TapIndexField> All { get; } =
    [
        new("ti_kx", "TXW", "HXW", (s, p, i) => Digits(s, p, i).Kx),
        new("ti_ky", "TYW", "TYW", (s, p, i) => Digits(s, p, i).Ky),
        new("ti_bank", "BKW", "BKW", (s, p, i) => Digits(s, p, i).Bank),
        new("ti_group", "LGW", "HGW", (s, p, i) => Digits(s, p, i).Group),
        // The group's last step: the issue moves to the next group (the step counter's compare without skipping).
        new("ti_last", "1", "1", (_, p, i) => i.Step == p.GroupSteps(i.Group) - 1 ? 1 : 0),
        // Where the lanes are taps, the block holding the fan-in's last tap: only last_lanes are busy
        // (never in a pass that holds its weights, whose lanes are columns).
        new("ti_tail", "1", null, (_, p, i) => p.Mapping == LaneMapping.Taps && p.Unit(i) == p.Units - 1 ? 1 : 0),
    ];

    /// <summary>Bits of a word.</summary>
    public static int Width(Schedule s) => All.Sum(f => RtlWidths.Resolve(s, f.Width));

    /// <summary>Bits of a word in the register file: the fields the passes that hold their weights need, in their widths.</summary>
    public static int HeldWidth(Schedule s) => All.Sum(f => HeldBits(s, f));

    /// <summary>Bits of field <paramref name="field"/> in the register file (0: not held, it reads 0 there).</summary>
    public static int HeldBits(Schedule s, TapIndexField field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.HeldWidth is null ? 0 : RtlWidths.Resolve(s, field.HeldWidth);
    }

    /// <summary>
    /// The address unit's derivations per tap index word used, each priced as the square multiplier of
    /// equal area (bits): ti_ky times W and ti_group times k * W, at the row buffer's address width (RBW).
    /// </summary>
    public static IReadOnlyList<int> Derivations(Schedule s) => [Multiplier(s, "ti_ky"), Multiplier(s, "ti_group")];

    private static int Multiplier(Schedule s, string field) =>
        (int)Math.Round(Math.Sqrt((double)RtlWidths.Resolve(s, All.Single(f => f.Name == field).Width) * RtlWidths.Resolve(s, "RBW")));

    private static TapIndexDigits Digits(Schedule s, Pass p, Issue i) => RowBufferDataflow.TapIndex(RowBufferDataflow.Window(s.Config, p), s.Config.Parallel, p, i);
}

/// <summary>One field of a tap index word.</summary>
/// <param name="Name">The wire's name, and the core's input of that name.</param>
/// <param name="Width">Its width: an <see cref="RtlWidths"/> expression.</param>
/// <param name="HeldWidth">
/// Its width in the register file, which holds the words of the passes that hold their weights (their
/// low bits: those passes' values fit), or null where those passes' value is always 0.
/// </param>
/// <param name="Value">Its value for a step of a pass.</param>
internal sealed record TapIndexField(string Name, string Width, string? HeldWidth, Func<Schedule, Pass, Issue, BigInteger> Value);
