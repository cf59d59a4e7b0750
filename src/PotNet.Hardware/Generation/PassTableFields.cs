using System.Numerics;
using PotNet.Model;

namespace PotNet.Hardware.Generation;

/// <summary>
/// The pass table's fields, declared once: each field's name (the generated table's output and the
/// core's input of that name), its width (an <see cref="RtlWidths"/> expression), its value per pass and
/// the dataflows whose core takes it. <see cref="PassTableGenerator"/> writes the table from them, the
/// top level wires them by name, and a test checks that each dataflow's core declares exactly its
/// fields, each as an input of that width.
/// </summary>
internal static class PassTableFields
{
    private static readonly DataflowKind[] Both = [DataflowKind.Stream, DataflowKind.RowBuffer];
    private static readonly DataflowKind[] Stream = [DataflowKind.Stream];
    private static readonly DataflowKind[] RowBuffer = [DataflowKind.RowBuffer];

    /// <summary>Every field, in the table's order.</summary>
    public static IReadOnlyList<PassTableField> All { get; } =
    [
        new("kind", "2", (_, p) => (int)p.Kind, Both),
        new("src", "1", (_, p) => p.Source, Both),
        new("last_pos", "AW", (_, p) => p.Positions - 1, Both),
        new("last_group", "GW", (_, p) => p.Groups - 1, Both),
        new("last_step", "SW", (_, p) => p.Steps - 1, Both),
        new("t_base", "TIW", (s, p) => s.TapBase[p.Index], Stream),
        new("w_base", "WIW", (s, p) => s.WeightBase[p.Index], Both),
        new("b_base", "BIW", (s, p) => s.ParamBase[p.Index], Both),
        new("couts", "CW", (_, p) => p.OutChannels, Both),
        new("pool_shift", "8", (_, p) => p.Step.Layer is AvgPool2d avg ? avg.Shift : 0, Both),
        new("in_h", "DW", (s, p) => View(s, p).InHeight, Both),
        new("in_w", "DW", (s, p) => View(s, p).InWidth, Both),
        new("stride", "DW", (s, p) => View(s, p).Stride, Both),
        new("pad", "DW", (s, p) => View(s, p).Padding, Both),
        new("last_ox", "DW", (s, p) => (long)(p.PositionsPerRow - 1) * OxStep(s, p), Both),
        new("last_oy", "DW", (s, p) => (long)(View(s, p).OutHeight - 1) * View(s, p).Stride, Both),
        new("col_step", "BW", (_, p) => p.Window.Stride, Stream),
        new("row_step", "BW", (_, p) => (long)p.Window.Stride * p.Window.InWidth, Stream),
        new("n_in", "BW", (_, p) => p.SourceLayout.Positions, Both),
        new("n_out", "BW", (_, p) => p.TargetLayout.Positions, Both),
        new("k_h", "XW", (s, p) => Rows(s, p).KernelHeight, RowBuffer),
        new("k_w", "XW", (s, p) => Rows(s, p).KernelWidth, RowBuffer),
        new("rb_rows", "RBW", (s, p) => (long)Rows(s, p).Slots * Rows(s, p).View.InWidth, RowBuffer),
        new("rb_kw", "RBW", (s, p) => (long)Rows(s, p).KernelHeight * Rows(s, p).View.InWidth, RowBuffer),
        new("rb_top", "RBW", (s, p) => Rows(s, p).FirstSlot, RowBuffer),
        new("rb_group", "RBW", (s, p) => Rows(s, p).GroupStep, RowBuffer),
        new("rb_w", "RBW", (s, p) => Rows(s, p).View.InWidth, RowBuffer),
        new("ld_row", "BW", (s, p) => Rows(s, p).Load.RowStep, RowBuffer),
        new("ld_last_col", "BW", (s, p) => Rows(s, p).View.InWidth - 1, RowBuffer),
        new("ld_pool_last", "PKW", (s, p) => Rows(s, p).Load.Pool - 1, RowBuffer),
        new("ld_src_w", "BW", (s, p) => Rows(s, p).Load.SourceWidth, RowBuffer),
        new("ld_last_cx", "BW", (s, p) => Rows(s, p).Load.Columns - 1, RowBuffer),
        new("slot_step", "RBW", (s, p) => Rows(s, p).SlotStep, RowBuffer),
        new("ld_last_group", "LGW", (s, p) => Rows(s, p).LoadGroups - 1, RowBuffer),
        new("ld_mask", "P", (s, p) => LastGroupBanks(s, p), RowBuffer),
        new("rf_on", "1", (_, p) => RowBufferDataflow.HoldsWeights(p) ? 1 : 0, RowBuffer),
        new("cols", "1", (_, p) => p.Mapping == LaneMapping.Columns ? 1 : 0, RowBuffer),
        new("ox_step", "DW", (s, p) => OxStep(s, p), RowBuffer),
        new("last_cols", "BW", (_, p) => LastTileColumns(p), RowBuffer),
        new("tile_lanes", "L", (_, p) => (BigInteger.One << LastTileColumns(p)) - 1, RowBuffer),
        new("lane_col", "L*DW", (s, p) => PerLane(s, "DW", l => p.LaneColumn(l) * View(s, p).Stride), RowBuffer),
        new("last_lanes", "L", (s, p) => LastStepLanes(s, p), RowBuffer),
        new("d_kx", "XW", (s, p) => Delta(s, p).Kx, RowBuffer),
        new("d_ky", "XW", (s, p) => Delta(s, p).Ky, RowBuffer),
        new("d_kyw", "RBW", (s, p) => Delta(s, p).RowOffset, RowBuffer),
        new("d_bank", "BKW", (s, p) => Delta(s, p).Bank, RowBuffer),
        new("d_group", "RBW", (s, p) => Delta(s, p).GroupOffset, RowBuffer),
        new("lane_kx", "L*XW", (s, p) => PerLane(s, "XW", l => Start(s, p, l).Kx), RowBuffer),
        new("lane_ky", "L*XW", (s, p) => PerLane(s, "XW", l => Start(s, p, l).Ky), RowBuffer),
        new("lane_kyw", "L*RBW", (s, p) => PerLane(s, "RBW", l => Start(s, p, l).RowOffset), RowBuffer),
        new("lane_bank", "L*BKW", (s, p) => PerLane(s, "BKW", l => Start(s, p, l).Bank), RowBuffer),
        new("lane_group", "L*RBW", (s, p) => PerLane(s, "RBW", l => Start(s, p, l).GroupOffset), RowBuffer),
        new("skip", "1", (_, p) => p.Skips ? 1 : 0, RowBuffer),
        new("i_base", "IIW", (s, p) => s.TapIndexBase[p.Index], RowBuffer),
    ];

    /// <summary>The fields of <paramref name="dataflow"/>'s pass table, in order.</summary>
    public static IReadOnlyList<PassTableField> Of(DataflowKind dataflow) => [.. All.Where(f => f.Dataflows.Contains(dataflow))];

    /// <summary>The counters' view of a pass in the schedule's dataflow.</summary>
    private static PassWindow View(Schedule s, Pass p) => s.Config.Dataflow switch
    {
        DataflowKind.Stream => p.Window,
        DataflowKind.RowBuffer => Rows(s, p).View,
    };

    private static RowWindow Rows(Schedule s, Pass p) => RowBufferDataflow.Window(s.Config, p);

    private static LaneDigits Delta(Schedule s, Pass p) => RowBufferDataflow.Digits(Rows(s, p), s.Config.Parallel, p.TapsPerStep);

    /// <summary>Lane l's counter start: the digits of the tap it takes within a step (at a group's first step without skipping).</summary>
    private static LaneDigits Start(Schedule s, Pass p, int lane) => RowBufferDataflow.Digits(Rows(s, p), s.Config.Parallel, p.LaneTap(lane));

    /// <summary>The counters' column step from one issue position to the next: the stride, L strides when the lanes are columns.</summary>
    private static long OxStep(Schedule s, Pass p) => (long)View(s, p).Stride * p.ColumnsPerPosition;

    /// <summary>Per lane a value at bits [l*width, (l+1)*width).</summary>
    private static BigInteger PerLane(Schedule s, string width, Func<int, int> value)
    {
        int bits = RtlWidths.Resolve(s, width);
        BigInteger word = BigInteger.Zero;
        for (int l = 0; l < s.Config.Lanes; l++)
        {
            // Idle lanes' digits may exceed the field; they are never used, but must not spill into the next lane's.
            word |= Verilog.VerilogLiteral.Modulo(value(l), bits) << (l * bits);
        }

        return word;
    }

    /// <summary>The taps of a pass: its fan-in, or its window (a pool's).</summary>
    private static int Taps(Schedule s, Pass p) => p.IsCompute ? ((ComputeLayer)p.Step.Layer).Geometry.FanIn : Rows(s, p).KernelHeight * Rows(s, p).KernelWidth;

    /// <summary>The lanes busy on a pass's last step where the lanes are taps (bit l set when tap (steps-1)*L + l is in the fan-in or window); all where they are columns.</summary>
    private static BigInteger LastStepLanes(Schedule s, Pass p) => p.Mapping switch
    {
        LaneMapping.Taps => (BigInteger.One << (Taps(s, p) - ((p.Units - 1) * s.Config.Lanes))) - 1,
        LaneMapping.Columns => (BigInteger.One << s.Config.Lanes) - 1,
    };

    /// <summary>Output columns of a row's last issue position: 1 where the lanes are taps; the last tile's where they are columns.</summary>
    private static int LastTileColumns(Pass p) => p.Window.OutWidth - ((p.PositionsPerRow - 1) * p.ColumnsPerPosition);

    /// <summary>The banks that hold a channel in a row load's last channel group (a pool's: all; its channel picks one).</summary>
    private static BigInteger LastGroupBanks(Schedule s, Pass p)
    {
        RowWindow rows = Rows(s, p);
        int banks = p.IsCompute ? rows.InChannels - ((rows.LoadGroups - 1) * s.Config.Parallel) : s.Config.Parallel;
        return (BigInteger.One << banks) - 1;
    }
}

/// <summary>One field of the pass table.</summary>
/// <param name="Name">The port's name, in the table and the core.</param>
/// <param name="Width">Its width: an <see cref="RtlWidths"/> expression (<see cref="RtlWidths.Resolve"/>).</param>
/// <param name="Value">Its value for a pass.</param>
/// <param name="Dataflows">The dataflows whose core takes it.</param>
internal sealed record PassTableField(string Name, string Width, Func<Schedule, Pass, BigInteger> Value, IReadOnlyList<DataflowKind> Dataflows);
