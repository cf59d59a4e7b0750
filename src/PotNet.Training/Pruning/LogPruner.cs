using static TorchSharp.torch;

namespace PotNet.Training.Pruning;

/// <summary>
/// Pruning adapted to logarithmic quantisation. Every threshold is a level boundary of the layer's
/// quantiser at an output row's scale, so a row loses whole levels, smallest first. Each layer's loss
/// increase for dropping d levels (alone, in all its rows) is measured on a calibration batch; levels
/// are then dropped greedily, layer by layer, at the least loss increase per weight zeroed, until the
/// target count of zero codes is reached. The last step, when a whole layer's next level would
/// overshoot, takes only some of that layer's rows (those whose dropped weights carry the least
/// squared magnitude per weight), so the target is met to within one row's level.
/// </summary>
internal static class LogPruner
{
    /// <summary>Restricts <paramref name="mask"/> so that <paramref name="network"/> has about <paramref name="targetZeros"/> zero codes; the pruned weights are not yet zeroed.</summary>
    /// <exception cref="PotNetException">Even keeping only each layer's largest level cannot reach the target.</exception>
    public static LevelDrops Prune(QatNetwork network, WeightMask mask, long targetZeros, Calibration calibration)
    {
        using var scope = NewDisposeScope();
        network.Prepare();
        int count = mask.Layers.Count;
        var layers = new LayerLevels[count];
        for (int i = 0; i < count; i++) layers[i] = new LayerLevels(mask.Layers[i], mask.Keep(i));
        try
        {
            double baseLoss = calibration.Loss(network);
            double[][] loss = layers.Select(l => Enumerable.Range(0, l.MaxDrop + 1).Select(d => d == 0 ? baseLoss : l.LossWith(l.Uniform(d), network, calibration)).ToArray()).ToArray();
            int[][] drops = Choose(layers, loss, targetZeros);
            for (int i = 0; i < count; i++) mask.Restrict(i, layers[i].KeepWith(drops[i]));
            network.Prepare();
            return new LevelDrops(
                drops,
                layers.Select((l, i) => drops[i].Select((d, row) => l.Threshold(row, d)).ToArray()).ToArray(),
                loss.Select(curve => curve.Skip(1).Select(x => x - baseLoss).ToArray()).ToArray());
        }
        finally
        {
            foreach (LayerLevels layer in layers) layer.Dispose();
        }
    }

    private static int[][] Choose(LayerLevels[] layers, double[][] loss, long target)
    {
        int[] current = new int[layers.Length];
        long total = layers.Sum(l => l.Zeros(0));
        long all = layers.Sum(l => l.Weights);
        while (total < target)
        {
            (int layer, int drop, double ratio) best = (-1, 0, double.PositiveInfinity);
            for (int i = 0; i < layers.Length; i++)
            {
                for (int d = current[i] + 1; d <= layers[i].MaxDrop; d++)
                {
                    long gain = layers[i].Zeros(d) - layers[i].Zeros(current[i]);
                    double ratio = (loss[i][d] - loss[i][current[i]]) / gain;
                    if (gain > 0 && ratio < best.ratio) best = (i, d, ratio);
                }
            }

            if (best.layer < 0)
            {
                throw new PotNetException($"sparsity: {(double)target / all:P1} is out of reach: keeping only each layer's largest level gives {(double)total / all:P1}");
            }

            long wholeGain = layers[best.layer].Zeros(best.drop) - layers[best.layer].Zeros(current[best.layer]);
            if (total + wholeGain <= target)
            {
                current[best.layer] = best.drop;
                total += wholeGain;
                continue;
            }

            int[][] partial = current.Select((d, i) => Enumerable.Repeat(d, layers[i].Rows).ToArray()).ToArray();
            foreach (var (row, gain) in layers[best.layer].RowsByDamage(current[best.layer], best.drop))
            {
                partial[best.layer][row] = best.drop;
                total += gain;
                if (total >= target) break;
            }

            return partial;
        }

        return current.Select((d, i) => Enumerable.Repeat(d, layers[i].Rows).ToArray()).ToArray();
    }
}
