using PotNet.Hardware.Generation;

namespace PotNet.Hardware.Energy;

/// <summary>Every storage level of a design's dataflow, each with the counter of its accesses.</summary>
public static class StorageLevels
{
    /// <summary>The storage levels of <paramref name="schedule"/>'s design.</summary>
    public static IReadOnlyList<StorageLevel> Of(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return schedule.Config.Dataflow switch
        {
            DataflowKind.Stream => Stream(schedule),
            DataflowKind.RowBuffer => RowBuffer(schedule),
        };
    }

    /// <summary>
    /// <see cref="RowBufferDataflow"/>'s levels: per lane of each PE a weight ROM (a code a word) read
    /// wherever a pass whose lanes are taps needs the code (a dense layer's: once); per PE a broadcast
    /// weight ROM (a code a word) read at a convolution's first tile and a weight register file written
    /// then and read at every later tile; per PE its L accumulators, read all at once into the
    /// requantisers after a column pass's group (priced as a small memory of L x ACC_W bits; their
    /// additions are the PE's), and its L result registers, each byte written then and read once by the
    /// drain (a memory of L bytes);
    /// per PE a bias-and-shift ROM read every group; P single-copy activation memories
    /// (each holding its bank of both buffers), read once per input element by the row loads and
    /// written once per value; the row buffer's P banks, written by the row loads and read by the
    /// lanes; the tap index ROM of a zero-skipping design, read every step but those of a later position
    /// of a pass that holds its weights, which read the tap index register file (as deep as the weight
    /// register files, its words the fields those passes need) the ROM fills at its first (control); the logit registers.
    /// </summary>
    private static StorageLevel[] RowBuffer(Schedule schedule)
    {
        IReadOnlyDictionary<string, RomShape> roms = RomShape.Of(schedule);
        long bank = ActivationMemories.Of(schedule).Bytes, rows = RowBufferDataflow.Depth(schedule);
        int bits = schedule.Format.Bits;
        long registers = ((long)RowBufferDataflow.RegisterDepth(schedule) * bits + 7) / 8;
        int held = TapIndexFields.HeldWidth(schedule);
        long indexRegisters = ((long)RowBufferDataflow.RegisterDepth(schedule) * held + 7) / 8;
        int acc = schedule.AccumulatorWidth;
        long accumulators = ((long)schedule.Config.Lanes * acc + 7) / 8;
        return
        [
            new(DesignEvents.WeightRom, EventKind.MemoryRead, bits, roms["weights"].Bytes, c => c.WeightRomReads),
            new(DesignEvents.WeightRom, EventKind.MemoryRead, bits, roms["pe_weights"].Bytes, c => c.PeRomReads),
            new(DesignEvents.WeightRegisters, EventKind.MemoryRead, bits, registers, c => c.WeightRfReads),
            new(DesignEvents.WeightRegisters, EventKind.MemoryWrite, bits, registers, c => c.WeightRfWrites),
            new(DesignEvents.ActivationBuffers, EventKind.MemoryRead, 8, bank, c => c.ActReads),
            new(DesignEvents.ActivationBuffers, EventKind.MemoryWrite, 8, bank, c => c.ActWrites),
            new(DesignEvents.Accumulators, EventKind.MemoryRead, acc, accumulators, c => c.DrainReads),
            new(DesignEvents.Accumulators, EventKind.MemoryWrite, 8, schedule.Config.Lanes, c => c.ResultWrites),
            new(DesignEvents.Accumulators, EventKind.MemoryRead, 8, schedule.Config.Lanes, c => c.ResultWrites),
            new(DesignEvents.RowBuffer, EventKind.MemoryRead, 8, rows, c => c.RowBufferReads),
            new(DesignEvents.RowBuffer, EventKind.MemoryWrite, 8, rows, c => c.RowBufferWrites),
            new(DesignEvents.Control, EventKind.MemoryRead, roms["params"].Width, roms["params"].Bytes, c => c.ParamRomReads),
            new(DesignEvents.Control, EventKind.MemoryRead, roms["tap_index"].Width, roms["tap_index"].Bytes, c => c.TapIndexReads),
            new(DesignEvents.Control, EventKind.MemoryRead, held, indexRegisters, c => c.TapIndexRfReads),
            new(DesignEvents.Control, EventKind.MemoryWrite, held, indexRegisters, c => c.TapIndexRfWrites),
            new(DesignEvents.Control, EventKind.MemoryWrite, 32, schedule.Outputs * 4L, c => c.LogitWrites),
        ];
    }

    /// <summary>
    /// <see cref="StreamDataflow"/>'s levels: per PE a weight ROM read every step and a bias-and-shift
    /// ROM read every group; the tap ROM read every step; P x L activation memories (each holding its
    /// bank of both buffers), read once per lane and written L times per value; the logit registers.
    /// </summary>
    private static StorageLevel[] Stream(Schedule schedule)
    {
        IReadOnlyDictionary<string, RomShape> roms = RomShape.Of(schedule);
        long bank = ActivationMemories.Of(schedule).Bytes;
        return
        [
            new(DesignEvents.WeightRom, EventKind.MemoryRead, roms["weights"].Width, roms["weights"].Bytes, c => c.WeightRomReads),
            new(DesignEvents.ActivationBuffers, EventKind.MemoryRead, 8, bank, c => c.ActReads),
            new(DesignEvents.ActivationBuffers, EventKind.MemoryWrite, 8, bank, c => c.ActWrites),
            new(DesignEvents.Control, EventKind.MemoryRead, roms["taps"].Width, roms["taps"].Bytes, c => c.TapRomReads),
            new(DesignEvents.Control, EventKind.MemoryRead, roms["params"].Width, roms["params"].Bytes, c => c.ParamRomReads),
            new(DesignEvents.Control, EventKind.MemoryWrite, 32, schedule.Outputs * 4L, c => c.LogitWrites),
        ];
    }
}
