using PotNet.Model;

namespace PotNet.Hardware.Energy;

/// <summary>
/// How often a design fetches what it stores, per inference: weight-memory bits read against the
/// model's weight bits, and activation-memory reads against the sum of the layers' input sizes. A
/// dataflow that reads every weight and every activation once scores 1 on both.
/// </summary>
/// <param name="WeightBitsRead">Bits read from the weight memories (<see cref="DesignEvents.WeightRom"/> levels).</param>
/// <param name="ModelWeightBits">The weighted layers' weights times their code width.</param>
/// <param name="ActivationReads">Bytes read from the activation memories (<see cref="DesignEvents.ActivationBuffers"/> levels).</param>
/// <param name="LayerInputs">The sum over passes of the input size as stored (elements; a fused pool's input, not the pooled tensor).</param>
public sealed record Reuse(long WeightBitsRead, long ModelWeightBits, long ActivationReads, long LayerInputs)
{
    /// <summary>Weight-memory bits read per model weight bit.</summary>
    public double WeightFetches => (double)WeightBitsRead / ModelWeightBits;

    /// <summary>Activation-memory reads per layer input element.</summary>
    public double ActivationFetches => (double)ActivationReads / LayerInputs;

    /// <summary>The figures of <paramref name="schedule"/>'s design, from its storage levels and the cycle model.</summary>
    public static Reuse Of(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        EventCounts counts = CycleModel.Predict(schedule);
        IReadOnlyList<StorageLevel> levels = StorageLevels.Of(schedule);
        long Read(string component) => levels.Where(l => l.Component == component && l.Kind == EventKind.MemoryRead).Sum(l => l.Count(counts) * l.Bits);
        long modelBits = schedule.Model.ComputeLayers.Sum(c => (long)c.Weights.Codes.Length * c.Weights.Format.Bits);
        return new Reuse(Read(DesignEvents.WeightRom), modelBits, Read(DesignEvents.ActivationBuffers) / 8, schedule.Passes.Sum(p => (long)p.SourceLayout.Size));
    }
}
