namespace PotNet.Hardware.Generation;

/// <summary>
/// The RTL's width parameters, declared once: the core's parameters (<see cref="TopLevelGenerator"/>),
/// the pass table's port widths (<see cref="PassTableFields"/>) and the manifest's widths all come
/// from here, and a test checks that each dataflow's core (<see cref="RtlLibrary.Core"/>) declares exactly its parameters.
/// </summary>
internal static class RtlWidths
{
    private static readonly DataflowKind[] Both = [DataflowKind.Stream, DataflowKind.RowBuffer];
    private static readonly DataflowKind[] Stream = [DataflowKind.Stream];
    private static readonly DataflowKind[] RowBuffer = [DataflowKind.RowBuffer];

    /// <summary>Every width parameter, by the RTL's name.</summary>
    public static IReadOnlyList<RtlWidth> All { get; } =
    [
        new("ACC_W", s => s.AccumulatorWidth, Both),
        new("AW", s => s.AddressWidth, Both),
        new("BW", s => s.BankAddressWidth, Both),
        new("BKW", s => s.BankWidth, Both),
        new("DW", CoordinateWidth, Both),
        new("KW", s => s.KernelIndexWidth, Stream),
        new("OW", s => s.OutputWidth, Both),
        new("PW", s => s.PassWidth, Both),
        new("TIW", s => s.TapIndexWidth, Stream),
        new("WIW", s => s.WeightIndexWidth, Both),
        new("BIW", s => s.ParamIndexWidth, Both),
        new("SW", s => s.StepWidth, Both),
        new("GW", s => s.GroupWidth, Both),
        new("CW", s => s.ChannelWidth, Both),
        new("POOL_W", s => s.PoolWidth, Both),
        new("XW", RowBufferDataflow.DigitWidth, RowBuffer),
        new("RBW", s => Schedule.Bits(RowBufferDataflow.Depth(s)), RowBuffer),
        new("FIW", s => Schedule.Bits(RowBufferDataflow.RegisterDepth(s) - 1), RowBuffer),
        new("LGW", RowBufferDataflow.LoadGroupWidth, RowBuffer),
        new("PKW", RowBufferDataflow.PoolKernelWidth, RowBuffer),
        new("LW", s => Schedule.Bits(s.Config.Lanes - 1), RowBuffer),
        new("IIW", s => s.TapIndexAddressWidth, RowBuffer),
        new("TXW", s => Schedule.Bits(RowBufferDataflow.Windows(s).Max(w => w.KernelWidth) - 1), RowBuffer),
        new("TYW", s => Schedule.Bits(RowBufferDataflow.Windows(s).Max(w => w.KernelHeight) - 1), RowBuffer),
        new("B", s => s.Format.Bits, []),
        // The tap index register file's kernel column and channel group (the top level's alone).
        new("HXW", s => Schedule.Bits(RowBufferDataflow.HeldWindows(s).Select(w => w.KernelWidth).DefaultIfEmpty(1).Max() - 1), []),
        new("HGW", s => Schedule.Bits(RowBufferDataflow.HeldWindows(s).Select(w => w.LoadGroups).DefaultIfEmpty(1).Max() - 1), []),
    ];

    /// <summary>
    /// The value of width <paramref name="width"/>: a parameter's name, a literal number of bits, P or L,
    /// or a product of two of these (<c>L*XW</c>: one field per lane).
    /// </summary>
    public static int Resolve(Schedule s, string width)
    {
        int star = width.IndexOf('*', StringComparison.Ordinal);
        if (star >= 0) return Resolve(s, width[..star]) * Resolve(s, width[(star + 1)..]);
        return width switch
        {
            "P" => s.Config.Parallel,
            "L" => s.Config.Lanes,
            _ when int.TryParse(width, System.Globalization.CultureInfo.InvariantCulture, out int bits) => bits,
            _ => All.FirstOrDefault(w => w.Name == width)?.Value(s) ?? throw new InvalidOperationException($"{width} is not a width parameter"),
        };
    }

    /// <summary>The widths of <paramref name="s"/>'s dataflow by name, for the manifest.</summary>
    public static IReadOnlyDictionary<string, int> Values(Schedule s) =>
        new SortedDictionary<string, int>(All.Where(w => w.Cores.Count == 0 || w.Cores.Contains(s.Config.Dataflow)).ToDictionary(w => w.Name, w => w.Value(s)), StringComparer.Ordinal);

    /// <summary>The core parameters of <paramref name="dataflow"/>'s core.</summary>
    public static IEnumerable<RtlWidth> Core(DataflowKind dataflow) => All.Where(w => w.Cores.Contains(dataflow));

    private static int CoordinateWidth(Schedule s) => s.Config.Dataflow switch
    {
        DataflowKind.Stream => s.CoordinateWidth,
        DataflowKind.RowBuffer => RowBufferDataflow.CoordinateWidth(s),
    };
}

/// <summary>One width parameter of the RTL.</summary>
/// <param name="Name">Its name in the RTL and the manifest.</param>
/// <param name="Value">Its value for a schedule.</param>
/// <param name="Cores">The dataflows whose core takes it as a parameter (none for B, the lanes' alone, and the top level's own).</param>
internal sealed record RtlWidth(string Name, Func<Schedule, int> Value, IReadOnlyList<DataflowKind> Cores);
