using PotNet.Engines;
using PotNet.Float;
using PotNet.Formats;
using PotNet.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace PotNet.Training.Tests;

/// <summary>The exported model computes, in the ReferenceEngine, exactly the integers the fake-quantised network computes.</summary>
public sealed class ExportTests
{
    private static readonly string[] FormatNames = ["pot2", "pot3", "pot4", "pot5", "uniform2", "uniform4", "uniform8", "apot3", "apot4", "apot5"];

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(1, 24)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Exported_logits_equal_the_fake_quantised_logits_exactly(int seed)
    {
        var random = new Random(seed);
        manual_seed(seed);
        WeightFormat format = WeightFormat.Parse(FormatNames[random.Next(FormatNames.Length)]);
        var network = new QatNetwork(SmallArchitecture(random), _ => format, random.Next(2) == 0 ? Rounding.Nearest : Rounding.Log, perChannel: random.Next(2) == 0);
        foreach (QatLayer layer in network.WeightedLayers)
        {
            // Scale the initial weights so that the scale exponents differ from layer to layer.
            using (no_grad()) layer.Weight.mul_(Math.ScaleB(1.0, random.Next(-3, 4)));
            layer.RunningMax = Math.ScaleB(1.0 + random.NextDouble(), random.Next(-2, 4));
        }

        // The residual add's too, so that its exponent differs from its inputs'.
        var maxima = network.RunningMaxima();
        if (maxima.ContainsKey("add")) maxima["add"] = Math.ScaleB(1.0 + random.NextDouble(), random.Next(-2, 4));
        network.RestoreRunningMaxima(maxima, name => new InvalidOperationException(name));

        network.SetQuantized(true);
        network.eval();
        network.Prepare();
        QuantizedModel model = network.Export(new Provenance());
        var engine = new ReferenceEngine(model);
        LayerPlan logits = model.Plan[^1];
        int exponent = logits.InputExponent + ((ComputeLayer)logits.Layer).Weights.ScaleExponent(0);

        var images = Enumerable.Range(0, 16).Select(_ =>
        {
            var image = new byte[model.Input.Size];
            random.NextBytes(image);
            return image;
        }).ToArray();
        Tensor input = tensor(images.SelectMany(i => i.Select(p => p / 256.0)).ToArray(), [images.Length, 1, model.Input.Height, model.Input.Width]);
        double[] fake = network.forward(input).data<double>().ToArray();
        for (int n = 0; n < images.Length; n++)
        {
            int[] expected = engine.Infer(images[n]);
            for (int k = 0; k < expected.Length; k++)
            {
                Assert.Equal(expected[k], Math.ScaleB(fake[(n * expected.Length) + k], exponent));
            }
        }
    }

    [Fact]
    public void The_seeds_cover_residual_and_chain_networks_grouped_or_not()
    {
        // The draws of the test above: the format first, then the architecture.
        var kinds = Enumerable.Range(1, 24).Select(seed =>
        {
            var random = new Random(seed);
            random.Next(FormatNames.Length);
            FloatModel model = SmallArchitecture(random);
            int[] groups = [.. model.Layers.OfType<FloatComputeLayer>().Select(l => l.Geometry.Groups)];
            return (Residual: model.Layers.Any(l => l is ResidualAdd), Grouped: groups.Any(g => g > 1), Depthwise: model.Layers.OfType<FloatComputeLayer>().Any(l => l.Geometry.Groups == l.Geometry.InChannels && l.Geometry.Groups > 1));
        }).ToArray();
        Assert.Equal(2, kinds.Select(k => k.Residual).Distinct().Count());
        Assert.Equal(2, kinds.Select(k => k.Grouped).Distinct().Count());
        Assert.Contains(kinds, k => k.Depthwise);
    }

    /// <summary>
    /// Convolutions with padding and stride, both pools, flatten and dense layers, on a 1x12x12 input; in
    /// every other network a residual block (a convolution added to the first pool's output), depthwise in
    /// some; the second convolution grouped (depthwise or two groups) in two of three.
    /// </summary>
    private static FloatModel SmallArchitecture(Random random)
    {
        int c1 = random.Next(2, 5), c2 = random.Next(2, 5), stride = random.Next(1, 3);
        bool residual = random.Next(2) != 0;
        int blockGroups = random.Next(2) == 0 ? 1 : c1;
        int groups = random.Next(3) switch { 0 => 1, 1 => c1, _ => c1 % 2 == 0 ? 2 : 1 };
        if (groups > 1) c2 = groups * random.Next(1, 3);
        var conv2 = new ConvGeometry(c1, c2, 3, 3, stride, 1, groups);
        int side = (6 + 2 - 3) / stride + 1, pooled = side / 2;
        Layer[] block = !residual ? [] : [Architectures.Conv("block", c1, c1, 3, 1, blockGroups), new ResidualAdd("add") { Inputs = ["block", "pool1"] }];
        return new FloatModel(new Shape(1, 12, 12),
        [
            Architectures.Conv("conv1", 1, c1, 3, 1),
            new AvgPool2d("pool1", 2, 2),
            .. block,
            new FloatComputeLayer("conv2", conv2, new float[c2 * conv2.FanIn], new float[c2], relu: true),
            new MaxPool2d("pool2", 2, 2),
            new Flatten("flatten"),
            Architectures.Dense("fc1", c2 * pooled * pooled, 12),
            FloatComputeLayer.Dense("fc2", 12, 10, new float[120], new float[10], relu: false),
        ]);
    }
}
