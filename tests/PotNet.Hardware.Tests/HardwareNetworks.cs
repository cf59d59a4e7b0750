using PotNet.Formats;
using PotNet.Model;

namespace PotNet.Hardware.Tests;

/// <summary>
/// Random quantised networks with one weight format throughout, as the accelerator takes them:
/// convolutions (stride, padding), max and average pools, dense layers. Output exponents are set
/// from the accumulators' typical size, so that activations spread over u8 rather than saturate,
/// and requantisation rounds, clamps and sometimes shifts left. Pruned networks (<c>pruned</c>: P and L)
/// also have whole columns (a tap of a group of P channels) and blocks (L aligned taps of such a group)
/// of zero codes, as a zero-skipping design skips them.
/// </summary>
internal static class HardwareNetworks
{
    public static QuantizedModel Create(int seed, WeightFormat format, int side = 0, (int Parallel, int Lanes)? pruned = null)
    {
        var random = new Random(seed);
        while (true)
        {
            try
            {
                return Draw(random, format, side, pruned);
            }
            catch (PotNetException ex) when (ex.Message.Contains("accumulator", StringComparison.Ordinal))
            {
                // Wide formats overflow int32 now and then; draw again.
            }
        }
    }

    public static ReadOnlyMemory<byte>[] Images(QuantizedModel model, int count, int seed)
    {
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ =>
        {
            var image = new byte[model.Input.Size];
            random.NextBytes(image);
            // Zero a random share of pixels, as real images have dark backgrounds.
            for (int i = 0; i < image.Length; i++) if (random.Next(3) == 0) image[i] = 0;
            return (ReadOnlyMemory<byte>)image;
        })];
    }

    private static QuantizedModel Draw(Random random, WeightFormat format, int side, (int Parallel, int Lanes)? pruned)
    {
        int size = side > 0 ? side : random.Next(5, 11);
        var input = new Shape(random.Next(1, 3), size, size);
        var shape = input;
        var layers = new List<Layer>();
        int exponent = Exponents.Input;
        int convs = random.Next(1, 3);
        for (int i = 0; i < convs && shape.Height >= 3 && shape.Width >= 3; i++)
        {
            int k = random.Next(1, 4), stride = random.Next(1, 3), padding = random.Next(0, k);
            var geometry = new ConvGeometry(shape.Channels, random.Next(1, 6), k, random.Next(1, 4), stride, padding);
            layers.Add(Compute(random, format, $"conv{i}", geometry, dense: false, ref exponent, last: false, pruned));
            shape = layers[^1].OutputShape(shape);
            if (shape.Height >= 2 && shape.Width >= 2 && random.Next(3) > 0)
            {
                int stride2 = random.Next(1, 3);
                layers.Add(random.Next(2) == 0 ? new MaxPool2d($"pool{i}", 2, stride2) : new AvgPool2d($"pool{i}", 2, stride2));
                shape = layers[^1].OutputShape(shape);
            }
        }

        layers.Add(new Flatten("flatten"));
        shape = new Shape(shape.Size, 1, 1);
        if (random.Next(2) == 0)
        {
            var hidden = ConvGeometry.Dense(shape.Channels, random.Next(2, 13));
            layers.Add(Compute(random, format, "fc0", hidden, dense: true, ref exponent, last: false, pruned));
            shape = new Shape(hidden.OutChannels, 1, 1);
        }

        var logits = ConvGeometry.Dense(shape.Channels, random.Next(2, 11));
        layers.Add(Compute(random, format, "fc1", logits, dense: true, ref exponent, last: true, pruned));
        return new QuantizedModel(input, layers);
    }

    private static ComputeLayer Compute(Random random, WeightFormat format, string name, ConvGeometry geometry, bool dense, ref int exponent, bool last, (int Parallel, int Lanes)? pruned)
    {
        int[] validCodes = [.. Enumerable.Range(0, 1 << format.Bits).Where(format.IsValidCode)];
        int[] usable = [.. validCodes.Where(c => Int128.Abs(format.Decode(c)) <= 1 << 10)];
        byte[] codes = [.. Enumerable.Range(0, geometry.OutChannels * geometry.FanIn)
            .Select(_ => (byte)(random.Next(4) == 0 ? format.ZeroCode : usable[random.Next(usable.Length)]))];
        if (pruned is (int p, int l))
        {
            int fanIn = geometry.FanIn;
            for (int group = 0; group * p < geometry.OutChannels; group++)
            {
                int channels = Math.Min(p, geometry.OutChannels - (group * p));
                for (int k = 0; k < fanIn; k++)
                {
                    // Zero a block of L taps now and then, and single columns often; a group sometimes entirely.
                    int width = k % l == 0 && random.Next(4) == 0 ? l : random.Next(5) < 2 ? 1 : 0;
                    for (int c = 0; c < channels; c++)
                    {
                        for (int t = k; t < Math.Min(k + width, fanIn); t++) codes[((group * p) + c) * fanIn + t] = format.ZeroCode;
                    }
                }

                if (random.Next(8) == 0)
                {
                    for (int c = 0; c < channels; c++) Array.Fill(codes, format.ZeroCode, ((group * p) + c) * fanIn, fanIn);
                }
            }
        }
        int g = random.Next(-2, 3);
        int[] exponents = last || random.Next(2) == 0 ? [g] : [.. Enumerable.Range(0, geometry.OutChannels).Select(_ => g + random.Next(-1, 2))];
        double rms = Math.Sqrt(codes.Average(c => (double)format.Decode(c) * (double)format.Decode(c)));
        double typical = Math.Sqrt(geometry.FanIn) * 100 * Math.Max(rms, 1);
        int[] bias = [.. Enumerable.Range(0, geometry.OutChannels).Select(_ => (int)(random.NextDouble() * 2 - 0.7) * (int)typical)];
        var weights = new QuantizedWeights(format, geometry.OutChannels, codes, exponents);
        int? output = null;
        if (!last)
        {
            // r = f_in + g - f_out near log2(typical / 128), so outputs spread over u8.
            int r = (int)Math.Round(Math.Log2(typical / 128)) + random.Next(-1, 2);
            output = exponent + g - r;
            exponent = output.Value;
        }

        return dense
            ? new Dense(name, geometry.InChannels, geometry.OutChannels, weights, bias, output)
            : new Conv2d(name, geometry, weights, bias, output);
    }
}
