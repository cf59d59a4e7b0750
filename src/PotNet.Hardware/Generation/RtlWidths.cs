namespace PotNet.Hardware.Generation;

/// <summary>
/// The RTL's width parameters, declared once: the core's parameters (<see cref="TopLevelGenerator"/>),
/// the pass table's port widths (<see cref="PassTableFields"/>) and the manifest's widths all come
/// from here, and a test checks that <c>rtl/potnet_core.v</c> declares each core parameter.
/// </summary>
internal static class RtlWidths
{
    /// <summary>Every width parameter, by the RTL's name.</summary>
    public static IReadOnlyList<RtlWidth> All { get; } =
    [
        new("ACC_W", s => s.AccumulatorWidth, InCore: true),
        new("AW", s => s.AddressWidth, InCore: true),
        new("BW", s => s.BankAddressWidth, InCore: true),
        new("BKW", s => s.BankWidth, InCore: true),
        new("DW", s => s.CoordinateWidth, InCore: true),
        new("KW", s => s.KernelIndexWidth, InCore: true),
        new("OW", s => s.OutputWidth, InCore: true),
        new("PW", s => s.PassWidth, InCore: true),
        new("TIW", s => s.TapIndexWidth, InCore: true),
        new("WIW", s => s.WeightIndexWidth, InCore: true),
        new("BIW", s => s.ParamIndexWidth, InCore: true),
        new("SW", s => s.StepWidth, InCore: true),
        new("GW", s => s.GroupWidth, InCore: true),
        new("CW", s => s.ChannelWidth, InCore: true),
        new("POOL_W", s => s.PoolWidth, InCore: true),
        new("B", s => s.Format.Bits, InCore: false),
    ];

    /// <summary>The value of width <paramref name="width"/>: a parameter's name, or a literal number of bits.</summary>
    public static int Resolve(Schedule s, string width) =>
        int.TryParse(width, System.Globalization.CultureInfo.InvariantCulture, out int bits) ? bits
            : All.FirstOrDefault(w => w.Name == width)?.Value(s) ?? throw new InvalidOperationException($"{width} is not a width parameter");

    /// <summary>The widths by name, for the manifest.</summary>
    public static IReadOnlyDictionary<string, int> Values(Schedule s) =>
        new SortedDictionary<string, int>(All.ToDictionary(w => w.Name, w => w.Value(s)), StringComparer.Ordinal);
}

/// <summary>One width parameter of the RTL.</summary>
/// <param name="Name">Its name in the RTL and the manifest.</param>
/// <param name="Value">Its value for a schedule.</param>
/// <param name="InCore">Whether <c>potnet_core</c> takes it as a parameter (B is the lanes' alone).</param>
internal sealed record RtlWidth(string Name, Func<Schedule, int> Value, bool InCore);
