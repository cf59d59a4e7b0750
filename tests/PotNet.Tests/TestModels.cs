using PotNet.Formats;
using PotNet.Model;

namespace PotNet.Tests;

/// <summary>Small models built from integer levels, for tests.</summary>
internal static class TestModels
{
    /// <summary>Weights of <paramref name="format"/> from integer levels, one scale exponent for the layer.</summary>
    public static QuantizedWeights Weights(WeightFormat format, int outChannels, int[] levels, int g = 0) =>
        new(format, outChannels, levels.Select(l => format.Encode(l)).ToArray(), [g]);

    public static Dense Dense(string name, int inFeatures, int outFeatures, int[] levels, int[] bias, int? outputExponent, WeightFormat? format = null, int g = 0) =>
        new(name, inFeatures, outFeatures, Weights(format ?? WeightFormat.Pot(4), outFeatures, levels, g), bias, outputExponent);

    /// <summary>A two-layer perceptron on a 2-pixel input whose outputs are worked out by hand in the tests.</summary>
    public static QuantizedModel TinyMlp() => new(
        new Shape(2, 1, 1),
        [
            Dense("hidden", 2, 2, [2, -1, 4, 1], [1, -3], outputExponent: 7),
            Dense("logits", 2, 2, [1, -2, -1, 1], [0, 0], outputExponent: null),
        ]);

    /// <summary>conv, max pool, flatten, dense: every layer kind on an 8x8 image.</summary>
    public static QuantizedModel SmallCnn(WeightFormat format, int seed = 1)
    {
        var random = new Random(seed);
        int[] Levels(int n) => Enumerable.Range(0, n).Select(_ => (int)format.Levels[random.Next(format.Levels.Count)]).ToArray();
        var conv = new Conv2d("conv", new ConvGeometry(1, 4, 3, 3, 1, 1), Weights(format, 4, Levels(4 * 9), g: 2), [3, -2, 0, 5], outputExponent: 6);
        return new QuantizedModel(
            new Shape(1, 8, 8),
            [conv, new MaxPool2d("pool", 2, 2), new AvgPool2d("avg", 2, 2), new Flatten("flatten"), Dense("fc", 16, 3, Levels(48), [1, 2, 3], null, format, g: 1)]);
    }

    /// <summary>
    /// conv, max pool, a residual block (conv added to the pool's output; the exponents differ), a conv
    /// that reads the pool again, an add of the two branches, flatten, dense.
    /// </summary>
    /// <summary>
    /// A depthwise-separable block on an 8x8 image: conv 3x3 1 -> 4, depthwise 3x3 (groups 4, padded),
    /// pointwise 1x1 4 -> 4, then a grouped 1x1 (groups 2) and the logits.
    /// </summary>
    public static QuantizedModel DepthwiseCnn(WeightFormat format, int seed = 1)
    {
        var random = new Random(seed);
        int[] Levels(int n) => Enumerable.Range(0, n).Select(_ => (int)format.Levels[random.Next(format.Levels.Count)]).ToArray();
        Conv2d Conv(string name, ConvGeometry geometry, int g, int f) =>
            new(name, geometry, Weights(format, geometry.OutChannels, Levels(geometry.OutChannels * geometry.FanIn), g), [.. Enumerable.Range(0, geometry.OutChannels).Select(c => 3 - c)], f);
        return new QuantizedModel(
            new Shape(1, 8, 8),
            [
                Conv("conv", new ConvGeometry(1, 4, 3, 3, 1, 0), g: 2, f: 6),
                Conv("dw", new ConvGeometry(4, 4, 3, 3, 1, 1, Groups: 4), g: 2, f: 5),
                Conv("pw", new ConvGeometry(4, 4, 1, 1, 1, 0), g: 1, f: 5),
                Conv("grouped", new ConvGeometry(4, 2, 1, 1, 2, 0, Groups: 2), g: 1, f: 4),
                new Flatten("flatten"), Dense("fc", 18, 3, Levels(54), [1, 2, 3], null, format, g: 1),
            ]);
    }

    public static QuantizedModel ResidualCnn(WeightFormat format, int seed = 1)
    {
        var random = new Random(seed);
        int[] Levels(int n) => Enumerable.Range(0, n).Select(_ => (int)format.Levels[random.Next(format.Levels.Count)]).ToArray();
        Conv2d Conv(string name, int inChannels, int g, int f, string? input = null) =>
            new(name, new ConvGeometry(inChannels, 2, 3, 3, 1, 1), Weights(format, 2, Levels(2 * inChannels * 9), g), [4, -3], f) { Inputs = input is null ? [] : [input] };
        return new QuantizedModel(
            new Shape(1, 8, 8),
            [
                Conv("conv", 1, g: 2, f: 6), new MaxPool2d("pool", 2, 2),
                Conv("block", 2, g: 3, f: 5), new ResidualAdd("add", 4) { Inputs = ["block", "pool"] },
                Conv("side", 2, g: 1, f: 7, input: "pool"), new ResidualAdd("join", 3) { Inputs = ["add", "side"] },
                new Flatten("flatten"), Dense("fc", 32, 3, Levels(96), [1, 2, 3], null, format, g: 1),
            ]);
    }

    /// <summary>
    /// PyTorch's standard basic block: conv, pool, then <c>blocka</c> and <c>blockb</c>, which adds the
    /// pool's output (exponent 6) into its accumulator (f_in 5, g 3: a left shift by 2), then the logits.
    /// </summary>
    public static QuantizedModel StandardResidualCnn(WeightFormat format, int seed = 1)
    {
        var random = new Random(seed);
        int[] Levels(int n) => Enumerable.Range(0, n).Select(_ => (int)format.Levels[random.Next(format.Levels.Count)]).ToArray();
        Conv2d Conv(string name, int inChannels, int g, int f, string? residual = null) =>
            new(name, new ConvGeometry(inChannels, 2, 3, 3, 1, 1), Weights(format, 2, Levels(2 * inChannels * 9), g), [4, -3], f) { Residual = residual };
        return new QuantizedModel(
            new Shape(1, 8, 8),
            [
                Conv("conv", 1, g: 2, f: 6), new MaxPool2d("pool", 2, 2),
                Conv("blocka", 2, g: 2, f: 5), Conv("blockb", 2, g: 3, f: 4, residual: "pool"),
                new Flatten("flatten"), Dense("fc", 32, 3, Levels(96), [1, 2, 3], null, format, g: 1),
            ]);
    }
}
