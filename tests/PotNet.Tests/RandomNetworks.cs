using PotNet.Formats;
using PotNet.Model;

namespace PotNet.Tests;

/// <summary>
/// Random quantised networks for property tests: every layer kind, every format, random shapes,
/// exponents, biases and codes; a third of the convolutions grouped (half of those depthwise). A draw
/// whose accumulator could overflow int32 is drawn again.
/// </summary>
internal static class RandomNetworks
{
    private static readonly WeightFormat[] Formats =
        [.. Enumerable.Range(2, 7).SelectMany(b => new[] { WeightFormat.Pot(b), WeightFormat.Uniform(b), WeightFormat.Apot(b) })];

    public static QuantizedModel Create(int seed)
    {
        // Padding values, residual blocks and groups come from streams of their own, so the rest of each
        // network is drawn as without them (a grouped convolution's channel count changes the shapes after it).
        var random = new Random(seed);
        var padding = new Random(~seed);
        var residual = new Random(seed ^ 0x5EED);
        var grouping = new Random(seed ^ 0x6A0C);
        while (true)
        {
            try
            {
                return Draw(random, padding, residual, grouping);
            }
            catch (PotNetException ex) when (ex.Message.Contains("accumulator", StringComparison.Ordinal))
            {
                // Wide formats overflow often; draw again.
            }
        }
    }

    public static byte[] Image(QuantizedModel model, int seed)
    {
        var image = new byte[model.Input.Size];
        new Random(seed).NextBytes(image);
        return image;
    }

    private static QuantizedModel Draw(Random random, Random paddingRandom, Random residual, Random grouping)
    {
        var shape = new Shape(random.Next(1, 4), random.Next(4, 11), random.Next(4, 11));
        var input = shape;
        var layers = new List<Layer>();
        if (residual.Next(4) == 0) Block(residual, grouping, layers, shape, "res_in");
        int convs = random.Next(0, 3);
        for (int i = 0; i < convs && shape.Height >= 3 && shape.Width >= 3; i++)
        {
            int k = random.Next(1, 4), stride = random.Next(1, 3), padding = random.Next(0, k);
            int outChannels = random.Next(1, 5), groups = Groups(grouping, shape.Channels);
            if (groups > 1) outChannels = groups * grouping.Next(1, 3);
            var geometry = new ConvGeometry(shape.Channels, outChannels, k, random.Next(1, 4), stride, padding, groups);
            (QuantizedWeights weights, int[] bias) = Weights(random, geometry);
            byte[]? paddingValues = padding > 0 && paddingRandom.Next(3) == 0 ? Enumerable.Range(0, shape.Channels).Select(_ => (byte)paddingRandom.Next(256)).ToArray() : null;
            layers.Add(new Conv2d($"conv{i}", geometry, weights, bias, random.Next(-2, 12), paddingValues));
            shape = layers[^1].OutputShape(shape);
            if (shape.Height >= 2 && shape.Width >= 2 && random.Next(2) == 0)
            {
                layers.Add(random.Next(2) == 0 ? new MaxPool2d($"pool{i}", 2, random.Next(1, 3)) : new AvgPool2d($"pool{i}", 2, random.Next(1, 3)));
                shape = layers[^1].OutputShape(shape);
            }

            if (residual.Next(3) == 0) Block(residual, grouping, layers, shape, $"res{i}");
        }

        layers.Add(new Flatten("flatten"));
        shape = new Shape(shape.Size, 1, 1);
        int denses = random.Next(1, 3);
        for (int i = 0; i < denses; i++)
        {
            bool last = i == denses - 1;
            var geometry = ConvGeometry.Dense(shape.Channels, last ? random.Next(2, 11) : random.Next(1, 17));
            (QuantizedWeights weights, int[] bias) = Weights(random, geometry, perChannel: !last);
            layers.Add(new Dense($"fc{i}", geometry.InChannels, geometry.OutChannels, weights, bias, last ? null : random.Next(-2, 12)));
            shape = new Shape(geometry.OutChannels, 1, 1);
        }

        return new QuantizedModel(input, layers);
    }

    /// <summary>
    /// Groups for a convolution over <paramref name="channels"/> input channels: one two times in three,
    /// else depthwise or another divisor of the channels, when there is one above 1.
    /// </summary>
    private static int Groups(Random grouping, int channels)
    {
        int[] divisors = [.. Enumerable.Range(2, Math.Max(channels - 1, 0)).Where(d => channels % d == 0)];
        if (divisors.Length == 0 || grouping.Next(3) != 0) return 1;
        return grouping.Next(2) == 0 ? channels : divisors[grouping.Next(divisors.Length)];
    }

    /// <summary>
    /// A residual block on the last layer's output (or the model's input): a shape-keeping convolution
    /// (grouped as <see cref="Groups"/> draws) added to either that output itself or a 1x1 projection of
    /// it, which then names its input.
    /// </summary>
    private static void Block(Random random, Random grouping, List<Layer> layers, Shape shape, string name)
    {
        string from = layers.Count == 0 ? LayerGraph.ModelInput : layers[^1].Name;
        int k = 2 * random.Next(0, 2) + 1;
        layers.Add(Conv(random, $"{name}_conv", new ConvGeometry(shape.Channels, shape.Channels, k, k, 1, k / 2, Groups(grouping, shape.Channels))));
        string skip = from;
        if (random.Next(2) == 0)
        {
            layers.Add(Conv(random, $"{name}_proj", new ConvGeometry(shape.Channels, shape.Channels, 1, 1, 1, 0), from));
            skip = layers[^1].Name;
        }

        string[] inputs = random.Next(2) == 0 ? [$"{name}_conv", skip] : [skip, $"{name}_conv"];
        layers.Add(new ResidualAdd($"{name}_add", random.Next(-2, 12)) { Inputs = inputs });
    }

    private static Conv2d Conv(Random random, string name, ConvGeometry geometry, string? input = null)
    {
        (QuantizedWeights weights, int[] bias) = Weights(random, geometry);
        return new Conv2d(name, geometry, weights, bias, random.Next(-2, 12)) { Inputs = input is null ? [] : [input] };
    }

    private static (QuantizedWeights, int[]) Weights(Random random, ConvGeometry geometry, bool perChannel = true)
    {
        WeightFormat format = Formats[random.Next(Formats.Length)];
        int[] validCodes = Enumerable.Range(0, 1 << format.Bits).Where(format.IsValidCode).ToArray();
        // Wide formats: keep to the codes of small levels so that most draws fit int32.
        int[] usable = validCodes.Where(c => Int128.Abs(format.Decode(c)) <= 1 << 12).ToArray();
        byte[] codes = Enumerable.Range(0, geometry.OutChannels * geometry.FanIn)
            .Select(_ => (byte)(random.Next(4) == 0 ? format.ZeroCode : usable[random.Next(usable.Length)])).ToArray();
        int[] exponents = !perChannel || random.Next(2) == 0
            ? [random.Next(-3, 4)]
            : Enumerable.Range(0, geometry.OutChannels).Select(_ => random.Next(-3, 4)).ToArray();
        int[] bias = Enumerable.Range(0, geometry.OutChannels).Select(_ => random.Next(-5000, 5000)).ToArray();
        return (new QuantizedWeights(format, geometry.OutChannels, codes, exponents), bias);
    }
}
