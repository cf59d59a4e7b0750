using TorchSharp;
using static TorchSharp.torch;

namespace PotNet.Training.Pruning;

/// <summary>
/// Global magnitude pruning: one threshold on |w| (the float shadow weights) for the whole network,
/// placed so that the weights below it together with the weights that already quantise to zero make
/// the target count of zero codes.
/// </summary>
internal static class MagnitudePruner
{
    /// <summary>Restricts <paramref name="mask"/>; returns the threshold (0: nothing to prune). The pruned weights are not yet zeroed.</summary>
    /// <exception cref="PotNetException">The target exceeds the number of weights.</exception>
    public static double Prune(QatNetwork network, WeightMask mask, long targetZeros)
    {
        using var outer = NewDisposeScope();
        network.Prepare();
        long zeros = 0;
        var candidates = new List<float>();
        foreach (QatLayer layer in mask.Layers)
        {
            using var scope = NewDisposeScope();
            Tensor nonzero = layer.Quantizer!.LevelIndex(layer.Weight, layer.ScaleExponents).gt(Scalars.Zero);
            zeros += layer.Weight.numel() - nonzero.count_nonzero().item<long>();
            candidates.AddRange(layer.Weight.detach().abs().masked_select(nonzero).data<float>().ToArray());
        }

        long needed = targetZeros - zeros;
        if (needed <= 0) return 0;
        if (needed > candidates.Count) throw new PotNetException($"sparsity: {targetZeros} zero weights asked, the network has {zeros + candidates.Count}");
        float[] sorted = [.. candidates];
        Array.Sort(sorted);
        float threshold = sorted[needed - 1];
        using Scalar cut = threshold.ToScalar();
        for (int i = 0; i < mask.Layers.Count; i++)
        {
            using var scope = NewDisposeScope();
            mask.Restrict(i, mask.Layers[i].Weight.detach().abs().gt(cut));
        }

        network.Prepare();
        return threshold;
    }
}
