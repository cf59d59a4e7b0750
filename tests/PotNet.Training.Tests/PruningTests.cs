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
        LogPruner.Prune(network, mask, Columns.Of(network, 8, 8), (long)(0.6 * network.WeightedLayers.Sum(l => l.Weight.numel())), calibration);
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
        MagnitudePruner.Prune(network, mask, Columns.Of(network, 8, 8), (long)(0.5 * network.WeightedLayers.Sum(l => l.Weight.numel())));
        mask.Apply();
        new Trainer(options with { FloatEpochs = 0, QatEpochs = 1 }, mnist.Train, PruningNetworks.Test(mnist), network).Run();
        float[][] after = Snapshot(network.WeightedLayers.Select(l => l.Weight));
        float[][] keep = Snapshot(mask.Layers.Select((_, i) => mask.Keep(i)));
        Assert.Contains(after.Zip(keep), p => p.First.Where((w, i) => p.Second[i] == 0 && w != 0).Any());
    }

    [Theory]
    [InlineData(PruningMethod.Log, 0.85, 8, 8)]
    [InlineData(PruningMethod.Magnitude, 0.6, 8, 8)]
    [InlineData(PruningMethod.Log, 0.5, 5, 3)]
    [InlineData(PruningMethod.Magnitude, 0.8, 5, 3)]
    public void The_exported_sparsity_is_within_one_point_of_the_target_and_pruned_units_are_whole_zero_codes(PruningMethod method, double target, int group, int lanes)
    {
        TrainingOptions options = PruningNetworks.Options;
        QatNetwork network = PruningNetworks.Trained(mnist);
        var pruning = new PruningOptions { Method = method, Sparsity = target, Rounds = 2, EpochsPerRound = 1, CalibrationImages = 256, Group = group, Lanes = lanes };
        IReadOnlyList<Columns> units = Columns.Of(network, group, lanes);
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

            Assert.Equal(layers[i] is Dense || i == layers.Length - 1 ? lanes : 1, units[i].Width);
            AssertWholeUnits(keep, layers[i].Geometry.OutChannels, group, units[i].Width, layers[i].Name);

            zeros += codes.Count(c => c == w.Format.ZeroCode);
            weights += codes.Length;
        }

        Assert.Equal(result.Sparsity, (double)zeros / weights, 12);
        Assert.True(result.Mask.Layers.Select((_, i) => result.Mask.Pruned(i)).Sum() <= zeros);
        Assert.True(trained.Reference.Accuracy > 0.3, $"accuracy {trained.Reference.Accuracy} at sparsity {result.Sparsity}");
        Assert.True(result.Rounds[^1].ProductsKept < 1, "pruned columns are skipped products");
    }

    [Fact]
    public void Log_prunes_conv_columns_where_magnitude_keeps_them()
    {
        // The energy objective: at the same weight sparsity, log saves more products than magnitude.
        double kept(PruningMethod method)
        {
            QatNetwork network = PruningNetworks.Trained(mnist);
            var pruning = new PruningOptions { Method = method, Sparsity = 0.6, Rounds = 1, EpochsPerRound = 0, CalibrationImages = 256 };
            return PruningRun.Run(network, PruningNetworks.Options, pruning, mnist.Train, PruningNetworks.Test(mnist)).Rounds[^1].ProductsKept;
        }

        double log = kept(PruningMethod.Log), magnitude = kept(PruningMethod.Magnitude);
        Assert.True(log < magnitude - 0.05, $"products kept: log {log:P1}, magnitude {magnitude:P1}");
    }

    [Fact]
    public void With_group_one_magnitude_is_one_threshold_on_single_weights()
    {
        // Unstructured, as before columns: every weight not at the zero level and at or below the
        // global threshold |w| is pruned, every other one kept, and the zero-level weights count as pruned.
        QatNetwork network = PruningNetworks.Trained(mnist);
        network.Prepare();
        QatLayer[] layers = [.. network.WeightedLayers];
        float[][] weights = Snapshot(layers.Select(l => l.Weight));
        long[][] levels = layers.Select(l => l.Quantizer!.LevelIndex(l.Weight, l.ScaleExponents).contiguous().data<long>().ToArray()).ToArray();
        long total = weights.Sum(w => w.Length), zeros = levels.Sum(l => l.LongCount(x => x == 0)), target = (long)(0.55 * total);
        float[] candidates = [.. weights.SelectMany((w, l) => w.Where((_, j) => levels[l][j] > 0)).Select(Math.Abs)];
        Array.Sort(candidates);
        float threshold = candidates[target - zeros - 1];

        using var mask = WeightMask.KeepAll(network);
        double cut = MagnitudePruner.Prune(network, mask, Columns.Of(network, 1, 1), target);
        Assert.Equal(threshold, cut, 6);
        for (int l = 0; l < layers.Length; l++)
        {
            float[] keep = mask.Keep(l).data<float>().ToArray();
            for (int j = 0; j < keep.Length; j++) Assert.Equal(levels[l][j] > 0 && Math.Abs(weights[l][j]) > threshold ? 1f : 0f, keep[j]);
        }
    }

    [Fact]
    public void Columns_follow_the_pe_groups_including_a_partial_last_one()
    {
        QatNetwork network = PruningNetworks.Trained(mnist);
        IReadOnlyList<Columns> columns = Columns.Of(network, 8, 8);
        Assert.Equal(["conv1", "conv2", "fc1", "fc2", "fc3"], columns.Select(c => c.Layer));
        Assert.Equal([1, 1, 8, 8, 8], columns.Select(c => c.Width));
        Columns conv1 = columns[0], fc2 = columns[3], fc3 = columns[4];
        Assert.Equal((1, 6, 25, 25, 28 * 28), (conv1.Groups, conv1.ChannelsIn(0), conv1.FanIn, conv1.Units, conv1.Positions));
        Assert.Equal(28L * 28 * 6, conv1.ProductsOf(0));
        // fc3 reads 84 inputs: 11 blocks of 8, the last of 4; its 10 outputs are a group of 8 and one of 2.
        Assert.Equal((11, 4, 2), (fc3.Units, fc3.TapsIn(10), fc3.ChannelsIn(1)));
        Assert.Equal(2L * 4, fc3.ProductsOf((1 * 11) + 10));
        Assert.Equal((11, 4, 1), (fc2.Groups, fc2.ChannelsIn(10), fc2.Positions));
        Assert.Equal(10 * 10, columns[1].Positions);
        Assert.Equal(416_520, columns.Sum(c => c.Products));

        // fc2, 84 x 120: sum over each block of a group's channels and 8 inputs, expand back; the last group has 4 channels.
        double[] values = [.. Enumerable.Range(0, 84 * 120).Select(i => (double)(i % 7))];
        using Tensor w = tensor(values).view(84, 120);
        using Tensor sums = fc2.Sum(w);
        Assert.Equal(new long[] { 11, 15 }, sums.shape);
        Assert.Equal(Enumerable.Range(80, 4).Sum(row => Enumerable.Range(40, 8).Sum(k => values[(row * 120) + k])), sums[10, 5].item<double>());
        using Tensor keep = zeros(11, 15);
        keep[3, 7] = tensor(1.0f);
        float[] expanded = fc2.Expand(keep, [84, 120]).data<float>().ToArray();
        Assert.Equal(64, expanded.Count(x => x == 1));
        Assert.All(Enumerable.Range(24, 8), row => Assert.All(Enumerable.Range(56, 8), k => Assert.Equal(1f, expanded[(row * 120) + k])));

        byte[] codes = new byte[84 * 120];
        Array.Fill(codes, (byte)3);
        Assert.Equal(fc2.Products, fc2.ProductsKept(codes, 0));
        for (int row = 80; row < 84; row++) codes.AsSpan((row * 120) + 72, 8).Clear();
        codes[(79 * 120) + 72] = 0;
        Assert.Equal(fc2.Products - (4 * 8), fc2.ProductsKept(codes, 0));
        codes[(83 * 120) + 79] = 1;
        Assert.Equal(fc2.Products, fc2.ProductsKept(codes, 0));
    }

    [Fact]
    public void Pruning_options_are_checked_and_the_schedule_rises_linearly()
    {
        var options = new PruningOptions { Method = PruningMethod.Log, Sparsity = 0.8, Rounds = 4 };
        Assert.Contains("lanes: 0", Assert.Throws<PotNetException>(() => (options with { Lanes = 0 }).Validate()).Message, StringComparison.Ordinal);
        Assert.Equal("8", options.Describe()["prune.lanes"]);
        Assert.Equal(0.2 + (0.6 * 1 / 4), options.Target(1, 0.2), 12);
        Assert.Equal(0.8, options.Target(4, 0.2), 12);
        Assert.Equal(0.3, (options with { Sparsity = 0.1 }).Target(2, 0.3));
        Assert.Contains("sparsity", Assert.Throws<PotNetException>(() => (options with { Sparsity = 1 }).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("rounds", Assert.Throws<PotNetException>(() => (options with { Rounds = 0 }).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("group: 0", Assert.Throws<PotNetException>(() => (options with { Group = 0 }).Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("group: -2", Assert.Throws<PotNetException>(() => (options with { Group = -2 }).Validate()).Message, StringComparison.Ordinal);
        Assert.Equal("8", options.Describe()["prune.group"]);
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

    /// <summary>Every pruned weight's unit (its PE group's channels at the same <paramref name="width"/> aligned fan-in indices) is pruned whole.</summary>
    private static void AssertWholeUnits(float[] keep, int outChannels, int group, int width, string layer)
    {
        int fanIn = keep.Length / outChannels;
        for (int g = 0; g * group < outChannels; g++)
        {
            for (int u = 0; u * width < fanIn; u++)
            {
                var unit = Enumerable.Range(g * group, Math.Min(group, outChannels - (g * group)))
                    .SelectMany(co => Enumerable.Range(u * width, Math.Min(width, fanIn - (u * width))).Select(k => keep[(co * fanIn) + k])).Distinct().ToArray();
                Assert.True(unit.Length == 1, $"layer {layer}, group {g}, unit {u}: part of the unit is pruned");
            }
        }
    }

    private static float[][] Snapshot(IEnumerable<Tensor> tensors) => tensors.Select(t => t.detach().contiguous().data<float>().ToArray()).ToArray();
}
