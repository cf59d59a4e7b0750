using PotNet.Engines;
using PotNet.Formats;
using PotNet.Model;
using PotNet.Training.Pruning;
using TorchSharp;
using static TorchSharp.torch;

namespace PotNet.Training.Tests;

/// <summary>Pruning (log and magnitude) on small lenet5 pot4 networks trained on a few MNIST images.</summary>
[Collection(MnistGroup.Name)]
public sealed class PruningTests(MnistFixture mnist)
{
    [Fact]
    public void The_mask_stays_fixed_through_fine_tuning()
    {
        TrainingOptions options = PruningNetworks.Options;
        QatNetwork network = PruningNetworks.Trained(mnist);
        using var mask = WeightMask.KeepAll(network);
        using var calibration = new Calibration(mnist.Train, 256);
        LogPruner.Prune(network, mask, (long)(0.6 * network.WeightedLayers.Sum(l => l.Weight.numel())), calibration);
        mask.Apply();
        float[][] keep = Snapshot(mask.Layers.Select((_, i) => mask.Keep(i)));
        float[][] before = Snapshot(network.WeightedLayers.Select(l => l.Weight));

        var trainer = new Trainer(options with { FloatEpochs = 0, QatEpochs = 1, Seed = 12 }, mnist.Train, PruningNetworks.Test(mnist), network) { Mask = mask };
        trainer.Run();

        float[][] after = Snapshot(network.WeightedLayers.Select(l => l.Weight));
        Assert.Equal(keep, Snapshot(mask.Layers.Select((_, i) => mask.Keep(i))));
        long pruned = 0, moved = 0;
        for (int layer = 0; layer < keep.Length; layer++)
        {
            for (int i = 0; i < keep[layer].Length; i++)
            {
                if (keep[layer][i] == 0)
                {
                    Assert.Equal(0f, after[layer][i]);
                    pruned++;
                }
                else if (after[layer][i] != before[layer][i])
                {
                    moved++;
                }
            }
        }

        Assert.True(pruned > 0.5 * keep.Sum(k => k.Length), $"{pruned} pruned");
        // Not all kept weights move: rows fed only by pruned inputs get no gradient.
        Assert.True(moved > 0.2 * (keep.Sum(k => k.Length) - pruned), $"only {moved} kept weights moved: fine-tuning did not train");
    }

    [Fact]
    public void Without_the_mask_fine_tuning_revives_pruned_weights()
    {
        // The counterpart of the test above: the mask, not the optimiser, is what holds them at zero.
        TrainingOptions options = PruningNetworks.Options;
        QatNetwork network = PruningNetworks.Trained(mnist);
        using var mask = WeightMask.KeepAll(network);
        MagnitudePruner.Prune(network, mask, (long)(0.5 * network.WeightedLayers.Sum(l => l.Weight.numel())));
        mask.Apply();
        new Trainer(options with { FloatEpochs = 0, QatEpochs = 1 }, mnist.Train, PruningNetworks.Test(mnist), network).Run();
        float[][] after = Snapshot(network.WeightedLayers.Select(l => l.Weight));
        float[][] keep = Snapshot(mask.Layers.Select((_, i) => mask.Keep(i)));
        Assert.Contains(after.Zip(keep), p => p.First.Where((w, i) => p.Second[i] == 0 && w != 0).Any());
    }

    [Theory]
    [InlineData(PruningMethod.Log, 0.85)]
    [InlineData(PruningMethod.Magnitude, 0.6)]
    public void The_exported_sparsity_is_within_one_point_of_the_target_and_pruned_weights_are_zero_codes(PruningMethod method, double target)
    {
        TrainingOptions options = PruningNetworks.Options;
        QatNetwork network = PruningNetworks.Trained(mnist);
        var pruning = new PruningOptions { Method = method, Sparsity = target, Rounds = 2, EpochsPerRound = 1, CalibrationImages = 256 };
        PruningResult result = PruningRun.Run(network, options, pruning, mnist.Train, PruningNetworks.Test(mnist));

        Assert.Equal(2, result.Rounds.Count);
        Assert.True(result.Rounds[0].Target < result.Rounds[1].Target, "the target rises across rounds");
        Assert.Equal(target, result.Rounds[1].Target);
        Assert.InRange(result.Sparsity, target - 0.01, target + 0.01);
        Assert.Equal(2, result.History.Count);
        Assert.Equal(["prune1", "prune2"], result.History.Select(r => r.Phase));

        TrainedModel trained = TrainedModel.Export(network, options, result.History, PruningNetworks.Test(mnist), "mnist", pruning.Describe());
        Assert.Equal(1.0, trained.Agreement);
        ComputeLayer[] layers = [.. trained.Model.ComputeLayers];
        long zeros = 0, weights = 0;
        for (int i = 0; i < layers.Length; i++)
        {
            QuantizedWeights w = layers[i].Weights;
            float[] keep = result.Mask.Keep(i).data<float>().ToArray();
            var codes = w.Codes.ToArray();
            Assert.Equal(keep.Length, codes.Length);
            for (int j = 0; j < keep.Length; j++)
            {
                if (keep[j] == 0) Assert.Equal(w.Format.ZeroCode, codes[j]);
            }

            zeros += codes.Count(c => c == w.Format.ZeroCode);
            weights += codes.Length;
        }

        Assert.Equal(result.Sparsity, (double)zeros / weights, 12);
        Assert.True(result.Mask.Layers.Select((_, i) => result.Mask.Pruned(i)).Sum() <= zeros);
        Assert.True(trained.Reference.Accuracy > 0.3, $"accuracy {trained.Reference.Accuracy} at sparsity {result.Sparsity}");
    }

    [Fact]
    public void Log_thresholds_lie_on_level_boundaries_and_drop_whole_levels()
    {
        TrainingOptions options = PruningNetworks.Options;
        QatNetwork network = PruningNetworks.Trained(mnist);
        network.Prepare();
        float[][] weights = Snapshot(network.WeightedLayers.Select(l => l.Weight));
        int[][] scales = network.WeightedLayers.Select(l => l.ScaleExponents.ToArray()).ToArray();
        using var mask = WeightMask.KeepAll(network);
        using var calibration = new Calibration(mnist.Train, 256);
        long total = weights.Sum(w => w.Length);
        LevelDrops drops = LogPruner.Prune(network, mask, (long)(0.7 * total), calibration);

        QatLayer[] layers = [.. network.WeightedLayers];
        long pruned = 0;
        var seen = new HashSet<int>();
        for (int l = 0; l < layers.Length; l++)
        {
            WeightFormat format = layers[l].Quantizer!.Format;
            LevelTable table = layers[l].Quantizer!.Table;
            int rows = layers[l].Geometry.OutChannels, fanIn = weights[l].Length / rows;
            float[] keep = mask.Keep(l).data<float>().ToArray();
            Assert.Equal(table.Magnitudes.Count - 2, drops.LossIncrease[l].Length);
            for (int row = 0; row < rows; row++)
            {
                int d = drops.Levels[l][row], g = scales[l][scales[l].Length == 1 ? 0 : row];
                seen.Add(d);
                double threshold = drops.Thresholds[l][row];
                if (d > 0) Assert.Equal(table.Boundaries[d], Math.ScaleB(threshold, g));
                else Assert.Equal(0, threshold);
                for (int j = row * fanIn; j < (row + 1) * fanIn; j++)
                {
                    // The level the format itself rounds the weight to, independent of the tables.
                    double level = Math.Abs((double)format.Decode(format.Quantize(Math.ScaleB(weights[l][j], g), layers[l].Quantizer!.Rounding)));
                    bool dropped = d > 0 && level <= table.Magnitudes[d];
                    Assert.Equal(dropped ? 0f : 1f, keep[j]);
                    Assert.Equal(dropped, d > 0 && Math.Abs(weights[l][j]) <= threshold);
                    if (dropped) pruned++;
                }
            }
        }

        Assert.True(seen.Count >= 2, "levels dropped differ between layers or rows");
        Assert.InRange(pruned + NaturalZerosKept(layers, weights, scales, drops), (long)(0.7 * total), (long)(0.71 * total));
    }

    [Fact]
    public void Pruning_options_are_checked_and_the_schedule_rises_linearly()
    {
        var options = new PruningOptions { Method = PruningMethod.Log, Sparsity = 0.8, Rounds = 4 };
        Assert.Equal(0.2 + (0.6 * 1 / 4), options.Target(1, 0.2), 12);
        Assert.Equal(0.8, options.Target(4, 0.2), 12);
        Assert.Equal(0.3, (options with { Sparsity = 0.1 }).Target(2, 0.3));
        Assert.Contains("sparsity", Assert.Throws<PotNetException>(() => (options with { Sparsity = 1 }).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("rounds", Assert.Throws<PotNetException>(() => (options with { Rounds = 0 }).Validate()).Message, StringComparison.Ordinal);
        Assert.Equal(PruningMethod.Magnitude, PruningMethods.Parse("magnitude"));
        Assert.Throws<PotNetException>(() => PruningMethods.Parse("random"));
    }

    [Fact]
    public void A_float_network_cannot_be_pruned()
    {
        TrainingOptions options = PruningNetworks.Options with { Format = null };
        var network = new QatNetwork(Architectures.Create("lenet5"), _ => null, Rounding.Nearest, false);
        var error = Assert.Throws<PotNetException>(() => PruningRun.Run(network, options, new PruningOptions { Method = PruningMethod.Log, Sparsity = 0.5 }, mnist.Train, PruningNetworks.Test(mnist)));
        Assert.Contains("weight format", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Weights in rows that dropped no level but quantise to zero anyway: they count as zero codes.</summary>
    private static long NaturalZerosKept(QatLayer[] layers, float[][] weights, int[][] scales, LevelDrops drops)
    {
        long count = 0;
        for (int l = 0; l < layers.Length; l++)
        {
            WeightFormat format = layers[l].Quantizer!.Format;
            int rows = layers[l].Geometry.OutChannels, fanIn = weights[l].Length / rows;
            for (int row = 0; row < rows; row++)
            {
                if (drops.Levels[l][row] > 0) continue;
                int g = scales[l][scales[l].Length == 1 ? 0 : row];
                count += weights[l].Skip(row * fanIn).Take(fanIn).Count(w => format.Quantize(Math.ScaleB(w, g), layers[l].Quantizer!.Rounding) == format.ZeroCode);
            }
        }

        return count;
    }

    private static float[][] Snapshot(IEnumerable<Tensor> tensors) => tensors.Select(t => t.detach().contiguous().data<float>().ToArray()).ToArray();
}
