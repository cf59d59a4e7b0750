using PotNet.Formats;
using PotNet.Hardware.Generation;

namespace PotNet.Hardware.Energy;

/// <summary>
/// A design's events per inference, layer by layer, in the energy model's terms. The counts are
/// <see cref="CycleModel"/>'s (equal to the RTL's counters); this class only says what each counted
/// event does, how wide it is and which memory it touches. The choices, which the report repeats:
/// <list type="bullet">
/// <item>a BAC product is one shift of the 8-bit activation; an APoT product two shifts and an add at
/// the product's width; a MAC product one multiply of a 9-bit activation by a B-bit weight, priced
/// as the square multiplier of equal area, <c>sqrt(9 B)</c> bits wide (multiplier energy grows with
/// the product of the widths); a DSP multiply is a hard multiply;</item>
/// <item>each accumulator update is one accumulator addition at the accumulator's width, and, where
/// the lanes are taps, L-1 adder-tree additions at that width (where they are columns, each lane adds
/// into its own accumulator and the tree's inputs are held at zero); a requantisation is a shift and a
/// rounding add at that width; a pooling step is an addition at the pooling unit's width per lane, and
/// a max pool fused into the row loads one 8-bit comparison per window element read; each tap index
/// word used (zero skipping) two multiplies in the address unit, which derive its row and channel-group
/// offsets (<see cref="TapIndexFields.Derivations"/>);</item>
/// <item>ROM reads move a whole word; activation reads and writes move a byte of one bank memory (P
/// banks x L copies, each holding its bank of both buffers; a write reaches all L copies of its bank,
/// each counted), priced at that memory's size, the bytes it uses; the tap ROM is a small ROM read
/// once per step. Memory energy depends on the memory's size. In <see cref="DataflowKind.RowBuffer"/>
/// a weight ROM read moves one code of its lane's ROM or of its PE's broadcast ROM, a weight register
/// file access one code of its PE's file, an activation access a byte of a single-copy bank memory, a row-buffer access a
/// byte of one row-buffer bank, each priced at its memory's size (<see cref="StorageLevels"/>).</item>
/// <item>every cycle is a <see cref="EventKind.Cycle"/> of the control: what the clock tree,
/// registers and sequencing spend whatever the PEs do (gate-level power shows it; a per-operation
/// table prices it at zero).</item>
/// </list>
/// </summary>
public static class DesignEvents
{
    /// <summary>The components events are reported under.</summary>
    public const string PeArithmetic = "pe_arithmetic", Accumulators = "accumulators", WeightRom = "weight_rom",
        ActivationBuffers = "activation_buffers", Control = "control", WeightRegisters = "weight_registers", RowBuffer = "row_buffer";

    /// <summary>Every event of one inference of <paramref name="schedule"/>'s design.</summary>
    public static IReadOnlyList<EnergyEvent> Of(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        AcceleratorConfig config = schedule.Config;
        IReadOnlyList<StorageLevel> levels = StorageLevels.Of(schedule);
        int acc = schedule.AccumulatorWidth, lanes = config.Lanes;
        var events = new List<EnergyEvent>();
        void Add(string component, EventKind kind, int bits, long count, string? layer, long memory = 0)
        {
            if (count > 0) events.Add(new EnergyEvent(component, kind, bits, count, layer, memory));
        }

        void Counted(EventCounts counts, string layer)
        {
            foreach (StorageLevel level in levels) Add(level.Component, level.Kind, level.Bits, level.Count(counts), layer, level.MemoryBytes);
            Add(Control, EventKind.Cycle, 1, counts.Cycles, layer);
        }

        foreach ((Pass pass, EventCounts c) in CycleModel.PredictByPass(schedule))
        {
            string layer = pass.Name;
            foreach ((EventKind kind, int bits, long perOp) in Product(schedule)) Add(PeArithmetic, kind, bits, c.PeOps * perOp, layer);
            Add(PeArithmetic, EventKind.Gated, 8, c.GatedOps, layer);
            Add(PeArithmetic, EventKind.Add, acc, TreeSums(pass, c) * (lanes - 1), layer);
            Add(Accumulators, EventKind.Add, acc, c.AccUpdates, layer);
            Counted(c, layer);
            Add(Control, EventKind.Shift, acc, c.Requantizations, layer);
            Add(Control, EventKind.Add, acc, c.Requantizations, layer);
            Add(Control, EventKind.Add, schedule.PoolWidth, c.PoolUpdates * lanes, layer);
            Add(Control, EventKind.Add, 8, c.LoadMaxes, layer);
            foreach (int bits in TapIndexFields.Derivations(schedule)) Add(Control, EventKind.Multiply, bits, c.TapIndexReads + c.TapIndexRfReads, layer);
        }

        Counted(CycleModel.Overhead(schedule), "input");
        return events;
    }

    /// <summary>The adder tree's sums in a pass: one per accumulator update where the lanes are taps; none where they are columns, each lane accumulating on its own.</summary>
    private static long TreeSums(Pass pass, EventCounts counts) => pass.Mapping switch
    {
        LaneMapping.Taps => counts.AccUpdates,
        LaneMapping.Columns => 0,
    };

    /// <summary>What one lane product is made of, for the design's PE kind: (kind, width, events per product).</summary>
    internal static (EventKind Kind, int Bits, long PerProduct)[] Product(Schedule schedule)
    {
        AcceleratorConfig config = schedule.Config;
        return config.Pe switch
        {
            PeKind.Bac => [(EventKind.Shift, 8, 1)],
            PeKind.Apot => [(EventKind.Shift, 8, 2), (EventKind.Add, 9 + ((ApotFormat)schedule.Format).MaxShift, 1)],
            PeKind.Mac => [(config.Multiplier == MacMultiplier.Dsp ? EventKind.HardMultiply : EventKind.Multiply, (int)Math.Round(Math.Sqrt(9.0 * schedule.Format.Bits)), 1)],
        };
    }
}
