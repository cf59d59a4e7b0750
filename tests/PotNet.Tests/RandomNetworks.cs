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
        // The exponent of the last layer's output, which a residual block needs to keep its sums exact.
        int exponent = Exponents.Input;
        if (residual.Next(4) == 0) exponent = Block(residual, grouping, layers, shape, "res_in", exponent);
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
            exponent = ((Conv2d)layers[^1]).OutputExponent!.Value;
            shape = layers[^1].OutputShape(shape);
            if (shape.Height >= 2 && shape.Width >= 2 && random.Next(2) == 0)
            {
                layers.Add(random.Next(2) == 0 ? new MaxPool2d($"pool{i}", 2, random.Next(1, 3)) : new AvgPool2d($"pool{i}", 2, random.Next(1, 3)));
                shape = layers[^1].OutputShape(shape);
            }

            if (residual.Next(3) == 0) exponent = Block(residual, grouping, layers, shape, $"res{i}", exponent);
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
    /// A residual block on the last layer's output (or the model's input), whose exponent is
    /// <paramref name="exponent"/>: a shape-keeping convolution (grouped as <see cref="Groups"/> draws)
    /// added to either that output itself or a 1x1 projection of it, which then names its input; half
    /// the time by an add, half by the convolution's residual source (PyTorch's <c>relu(conv(x) + x)</c>),
    /// with scale exponents that keep the source's shift left. Returns the block's output exponent.
    /// </summary>
    private static int Block(Random random, Random grouping, List<Layer> layers, Shape shape, string name, int exponent)
    {
        string from = layers.Count == 0 ? LayerGraph.ModelInput : layers[^1].Name;
        if (random.Next(2) == 0) return SourceBlock(random, grouping, layers, shape, name, exponent, from);
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
        return ((ResidualAdd)layers[^1]).OutputExponent!.Value;
    }

    /// <summary>
    /// The block as a convolution with a residual source: the block's input itself (exponent e), or a 1x1
    /// projection of it with an exponent at most e; scale exponents g from 0 up make the shift
    /// <c>e + g - e_x</c> never negative, and sometimes large, so the widened bound is exercised.
    /// </summary>
    private static int SourceBlock(Random random, Random grouping, List<Layer> layers, Shape shape, string name, int exponent, string from)
    {
        string skip = from;
        if (random.Next(2) == 0)
        {
            int projected = random.Next(Math.Max(exponent - 4, -2), exponent + 1);
            (QuantizedWeights pw, int[] pb) = Weights(random, new ConvGeometry(shape.Channels, shape.Channels, 1, 1, 1, 0));
            layers.Add(new Conv2d($"{name}_proj", new ConvGeometry(shape.Channels, shape.Channels, 1, 1, 1, 0), pw, pb, projected) { Inputs = [from] });
            skip = layers[^1].Name;
        }

        int k = 2 * random.Next(0, 2) + 1;
        var geometry = new ConvGeometry(shape.Channels, shape.Channels, k, k, 1, k / 2, Groups(grouping, shape.Channels));
        (QuantizedWeights weights, int[] bias) = Weights(random, geometry, lowestExponent: 0, highestExponent: random.Next(4) == 0 ? 12 : 4);
        int output = random.Next(-2, 12);
        layers.Add(new Conv2d($"{name}_conv", geometry, weights, bias, output) { Inputs = skip == from ? [] : [from], Residual = skip });
        return output;
    }

    private static Conv2d Conv(Random random, string name, ConvGeometry geometry, string? input = null)
    {
        (QuantizedWeights weights, int[] bias) = Weights(random, geometry);
        return new Conv2d(name, geometry, weights, bias, random.Next(-2, 12)) { Inputs = input is null ? [] : [input] };
    }

    private static (QuantizedWeights, int[]) Weights(Random random, ConvGeometry geometry, bool perChannel = true, int lowestExponent = -3, int highestExponent = 4)
    {
        WeightFormat format = Formats[random.Next(Formats.Length)];
        int[] validCodes = Enumerable.Range(0, 1 << format.Bits).Where(format.IsValidCode).ToArray();
        // Wide formats: keep to the codes of small levels so that most draws fit int32.
        int[] usable = validCodes.Where(c => Int128.Abs(format.Decode(c)) <= 1 << 12).ToArray();
        byte[] codes = Enumerable.Range(0, geometry.OutChannels * geometry.FanIn)
            .Select(_ => (byte)(random.Next(4) == 0 ? format.ZeroCode : usable[random.Next(usable.Length)])).ToArray();
        int[] exponents = !perChannel || random.Next(2) == 0
            ? [random.Next(lowestExponent, highestExponent)]
            : Enumerable.Range(0, geometry.OutChannels).Select(_ => random.Next(lowestExponent, highestExponent)).ToArray();
        int[] bias = Enumerable.Range(0, geometry.OutChannels).Select(_ => random.Next(-5000, 5000)).ToArray();
        return (new QuantizedWeights(format, geometry.OutChannels, codes, exponents), bias);
    }
}
