using static TorchSharp.torch;

namespace PotNet.Training.Pruning;

/// <summary>
/// Global magnitude pruning in the units the accelerator skips (<see cref="Columns"/>): a unit's
/// magnitude is the L2 norm of its float shadow weights over the square root of its weights (the RMS,
/// comparable to one weight's |w|, and |w| itself for single weights); one threshold for the whole
/// network, placed so that the units at or below it together with the weights already at the zero code
/// make the target count.
/// </summary>
internal static class MagnitudePruner
{
    /// <summary>Restricts <paramref name="mask"/>; returns the threshold (0: nothing to prune). The pruned weights are not yet zeroed.</summary>
    /// <exception cref="PotNetException">The target exceeds the number of weights.</exception>
    public static double Prune(QatNetwork network, WeightMask mask, IReadOnlyList<Columns> columns, long targetZeros)
    {
        using var outer = NewDisposeScope();
        network.Prepare();
        long[][] nonzero = ColumnChoice.Nonzero(mask, columns);
        double[][] magnitude = mask.Layers.Select((layer, i) =>
        {
            using var scope = NewDisposeScope();
            Tensor w = layer.Weight.detach().to_type(ScalarType.Float64);
            Columns units = columns[i];
            Tensor size = tensor(Enumerable.Range(0, units.Groups * units.Units).Select(u => (double)units.WeightsOf(u)).ToArray(), ScalarType.Float64).view(units.Groups, units.Units);
            return units.Sum(w.mul(w)).div(size).sqrt().contiguous().data<double>().ToArray();
        }).ToArray();
        double threshold = ColumnChoice.Prune(mask, columns, nonzero, magnitude, targetZeros).Cut ?? 0;
        network.Prepare();
        return threshold;
    }
}
