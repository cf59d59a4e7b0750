using PotNet.Engines;
using PotNet.Formats;
using PotNet.Model;

namespace PotNet.Tests.Engines;

/// <summary>
/// Networks and helpers for the FastEngine tests: the paths to test, and networks whose weights need
/// the wide units (int16 pairs because s8 pairs would saturate <c>vpmaddubsw</c>, and int32 singles),
/// which <see cref="RandomNetworks"/> seldom or never draws.
/// </summary>
internal static class FastTestNetworks
{
    public static TheoryData<FastPath> Paths => [.. FastPaths.Preference];

    /// <summary>Reports the test as skipped, naming the path, when this CPU cannot run it.</summary>
    public static void Require(FastPath path) =>
        Skip.IfNot(FastPaths.IsSupported(path), $"FastPath.{path} is not supported on this CPU: not tested here");

    public static FastEngine Engine(QuantizedModel model, FastPath path, int threads = 1) =>
        new(model, new FastEngineOptions { Path = path, Threads = threads });

    /// <summary>A random image, then the all-255 image that drives accumulators to their bounds.</summary>
    public static IEnumerable<byte[]> Images(QuantizedModel model, int seed) =>
        [RandomNetworks.Image(model, seed), Enumerable.Repeat(byte.MaxValue, model.Input.Size).ToArray()];

    /// <summary>A conv with wide levels (up to 2^19), a dense with s8 levels near ±127, and pot4 logits.</summary>
    public static QuantizedModel Wide(int seed)
    {
        var random = new Random(seed);
        WeightFormat[] wide = [WeightFormat.Pot(6), WeightFormat.Pot(7), WeightFormat.Pot(8), WeightFormat.Apot(6), WeightFormat.Apot(7), WeightFormat.Apot(8), WeightFormat.Uniform(8)];
        while (true)
        {
            try
            {
                var input = new Shape(random.Next(1, 3), random.Next(2, 7), random.Next(2, 7));
                var geometry = new ConvGeometry(input.Channels, random.Next(1, 20), random.Next(1, 3), random.Next(1, 3), 1, random.Next(0, 2));
                var conv = new Conv2d("wide", geometry, Weights(random, wide[random.Next(wide.Length)], geometry, 1 << 19), Bias(random, geometry), random.Next(8, 24));
                Shape shape = conv.OutputShape(input);
                var near = ConvGeometry.Dense(shape.Size, random.Next(1, 40));
                var dense = new Dense("s8", near.InChannels, near.OutChannels, Weights(random, WeightFormat.Uniform(8), near, 127, smallest: 100), Bias(random, near), random.Next(8, 16));
                var logits = ConvGeometry.Dense(near.OutChannels, random.Next(2, 11));
                var last = new Dense("logits", logits.InChannels, logits.OutChannels, Weights(random, WeightFormat.Pot(4), logits, 64), Bias(random, logits), null);
                return new QuantizedModel(input, [conv, new Flatten("flatten"), dense, last]);
            }
            catch (PotNetException ex) when (ex.Message.Contains("accumulator", StringComparison.Ordinal))
            {
                // Too wide for int32 with this fan-in: draw again.
            }
        }
    }

    /// <summary>
    /// Two grouped convolutions over up to 40 channels (any divisor as groups: depthwise, channel
    /// multipliers, few groups), wider than a vector, so that groups start inside vectors and the last
    /// group's lanes pass the channels; the first sometimes with padding values; then pot4 logits.
    /// </summary>
    public static QuantizedModel Grouped(int seed)
    {
        var random = new Random(seed);
        WeightFormat[] formats = [WeightFormat.Pot(4), WeightFormat.Uniform(8), WeightFormat.Pot(6), WeightFormat.Apot(4)];
        return Redraw(() =>
        {
            var input = new Shape(random.Next(1, 41), random.Next(3, 8), random.Next(3, 8));
            Shape shape = input;
            var layers = new List<Layer>();
            for (int i = 0; i < 2; i++)
            {
                int[] divisors = [.. Enumerable.Range(1, shape.Channels).Where(d => shape.Channels % d == 0)];
                int groups = divisors[random.Next(divisors.Length)], k = random.Next(1, 4), padding = random.Next(0, 2);
                var geometry = new ConvGeometry(shape.Channels, groups * random.Next(1, 4), k, k, random.Next(1, 3), padding, groups);
                byte[]? values = padding > 0 && i == 0 && random.Next(2) == 0 ? [.. Enumerable.Range(0, shape.Channels).Select(_ => (byte)random.Next(256))] : null;
                layers.Add(new Conv2d($"grouped{i}", geometry, Weights(random, formats[random.Next(formats.Length)], geometry, 1 << 10), Bias(random, geometry), random.Next(6, 16), values));
                shape = layers[^1].OutputShape(shape);
            }

            return WithLogits(random, input, layers, shape);
        });
    }

    /// <summary>
    /// Convolutions over one input channel, which read an input plane instead of im2col rows: a first
    /// layer with kernels up to 7x7 (rows of two units), strides up to 3 and padding up to 3, sometimes
    /// with a padding value, then half the time a depthwise layer over its channels; formats whose
    /// weights are quads, and uniform8, whose large pairs are not (so the im2col path stays beside it).
    /// </summary>
    public static QuantizedModel Planes(int seed)
    {
        var random = new Random(seed);
        WeightFormat[] formats = [WeightFormat.Pot(4), WeightFormat.Pot(3), WeightFormat.Apot(4), WeightFormat.Uniform(4), WeightFormat.Uniform(8)];
        return Redraw(() =>
        {
            var input = new Shape(1, random.Next(1, 13), random.Next(1, 13));
            int kh = random.Next(1, 8), kw = random.Next(1, 8), padding = random.Next(0, 4), channels = random.Next(1, 21);
            var first = new ConvGeometry(1, channels, kh, kw, random.Next(1, 4), padding);
            byte[]? values = padding > 0 && random.Next(2) == 0 ? [(byte)random.Next(256)] : null;
            var layers = new List<Layer> { new Conv2d("plane", first, Weights(random, formats[random.Next(formats.Length)], first, 1 << 10), Bias(random, first), random.Next(6, 16), values) };
            Shape shape = layers[0].OutputShape(input);
            if (random.Next(2) == 0)
            {
                int k = random.Next(1, 6);
                var depthwise = new ConvGeometry(channels, channels * random.Next(1, 3), k, k, random.Next(1, 3), random.Next(0, 3), channels);
                layers.Add(new Conv2d("depthwise", depthwise, Weights(random, formats[random.Next(formats.Length)], depthwise, 1 << 10), Bias(random, depthwise), random.Next(6, 16)));
                shape = layers[^1].OutputShape(shape);
            }

            return WithLogits(random, input, layers, shape);
        });
    }

    /// <summary>
    /// Networks for the batched tail, the dense layers at the end that run several images at once: a
    /// convolution, then either convolution logits over several positions (no tail), or a convolution down to
    /// one position (sometimes padded, sometimes with padding values, which keep it out of the tail) and one
    /// to three dense layers of up to 40 channels, whose shifts are sometimes below 1 (requantised after
    /// the product, not in it).
    /// </summary>
    public static QuantizedModel Tails(int seed)
    {
        var random = new Random(seed);
        WeightFormat[] formats = [WeightFormat.Pot(4), WeightFormat.Uniform(8), WeightFormat.Apot(4), WeightFormat.Pot(6)];
        WeightFormat Format() => formats[random.Next(formats.Length)];
        return Redraw(() =>
        {
            var input = new Shape(random.Next(1, 9), random.Next(2, 7), random.Next(2, 7));
            var first = new ConvGeometry(input.Channels, random.Next(1, 24), random.Next(1, 3), random.Next(1, 3), 1, random.Next(0, 2));
            var layers = new List<Layer> { new Conv2d("conv", first, Weights(random, Format(), first, 1 << 10), Bias(random, first), random.Next(6, 16)) };
            Shape shape = layers[0].OutputShape(input);
            if (random.Next(4) == 0)
            {
                var logits = new ConvGeometry(shape.Channels, random.Next(1, 5), 1, 1, 1, 0);
                layers.Add(new Conv2d("logits", logits, Weights(random, WeightFormat.Pot(4), logits, 64), Bias(random, logits), null));
                return new QuantizedModel(input, layers);
            }

            int padding = random.Next(0, 2);
            var whole = new ConvGeometry(shape.Channels, random.Next(1, 33), shape.Height + 2 * padding, shape.Width + 2 * padding, 1, padding);
            byte[]? values = padding > 0 && random.Next(2) == 0 ? [.. Enumerable.Range(0, shape.Channels).Select(_ => (byte)random.Next(256))] : null;
            layers.Add(new Conv2d("whole", whole, Weights(random, Format(), whole, 1 << 10), Bias(random, whole), random.Next(-2, 16), values));
            shape = layers[^1].OutputShape(shape);
            layers.Add(new Flatten("flatten"));
            for (int i = random.Next(3); i > 0; i--)
            {
                var dense = ConvGeometry.Dense(shape.Size, random.Next(1, 41));
                layers.Add(new Dense($"fc{i}", dense.InChannels, dense.OutChannels, Weights(random, Format(), dense, 1 << 10), Bias(random, dense), random.Next(-2, 16)));
                shape = layers[^1].OutputShape(shape);
            }

            var last = ConvGeometry.Dense(shape.Size, random.Next(2, 11));
            layers.Add(new Dense("logits", last.InChannels, last.OutChannels, Weights(random, WeightFormat.Pot(4), last, 64), Bias(random, last), null));
            return new QuantizedModel(input, layers);
        });
    }

    /// <summary>Flattens <paramref name="layers"/> (output <paramref name="shape"/>) into pot4 logits: the model.</summary>
    private static QuantizedModel WithLogits(Random random, Shape input, List<Layer> layers, Shape shape)
    {
        var logits = ConvGeometry.Dense(shape.Size, random.Next(2, 11));
        layers.Add(new Flatten("flatten"));
        layers.Add(new Dense("logits", logits.InChannels, logits.OutChannels, Weights(random, WeightFormat.Pot(4), logits, 64), Bias(random, logits), null));
        return new QuantizedModel(input, layers);
    }

    /// <summary>Draws until a network is valid: too wide for int32, or a kernel larger than its padded input, is drawn again.</summary>
    private static QuantizedModel Redraw(Func<QuantizedModel> draw)
    {
        while (true)
        {
            try
            {
                return draw();
            }
            catch (PotNetException ex) when (ex.Message.Contains("accumulator", StringComparison.Ordinal) || ex.Message.Contains("larger than the padded input", StringComparison.Ordinal))
            {
                // Draw again.
            }
        }
    }

    private static QuantizedWeights Weights(Random random, WeightFormat format, ConvGeometry geometry, int largest, int smallest = 0)
    {
        int[] codes = Enumerable.Range(0, 1 << format.Bits)
            .Where(c => format.IsValidCode(c) && Int128.Abs(format.Decode(c)) is var m && m <= largest && (m >= smallest || m == 0)).ToArray();
        byte[] drawn = Enumerable.Range(0, geometry.OutChannels * geometry.FanIn).Select(_ => (byte)codes[random.Next(codes.Length)]).ToArray();
        return new QuantizedWeights(format, geometry.OutChannels, drawn, [random.Next(-2, 3)]);
    }

    private static int[] Bias(Random random, ConvGeometry geometry) =>
        Enumerable.Range(0, geometry.OutChannels).Select(_ => random.Next(-100_000, 100_000)).ToArray();
}
