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
        };
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
