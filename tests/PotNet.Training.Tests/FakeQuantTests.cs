using PotNet.Formats;
using TorchSharp;
using static TorchSharp.torch;

namespace PotNet.Training.Tests;

/// <summary>The fake-quantised weights round exactly as WeightFormat.Quantize does.</summary>
public sealed class FakeQuantTests
{
    public static TheoryData<string, Rounding> Formats()
    {
        var data = new TheoryData<string, Rounding>();
        foreach (WeightFormat format in WeightFormat.All)
        {
            data.Add(format.Name, Rounding.Nearest);
            data.Add(format.Name, Rounding.Log);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void Fake_quantised_weights_are_the_levels_WeightFormat_Quantize_picks(string name, Rounding rounding)
    {
        WeightFormat format = WeightFormat.Parse(name);
        var table = LevelTable.Of(format, rounding);
        var random = new Random(name.GetHashCode(StringComparison.Ordinal) ^ (int)rounding);
        var values = new List<float> { 0f, -0f, 1e30f, -1e30f, 1e-30f, -1e-30f };
        // Every boundary, as the float32 values on and around it, both signs.
        foreach (double b in table.Boundaries)
        {
            float f = (float)b;
            values.AddRange([f, MathF.BitDecrement(f), MathF.BitIncrement(f), -f, -MathF.BitIncrement(f)]);
        }

        double top = table.Magnitudes[^1];
        for (int i = 0; i < 2000; i++) values.Add((float)((random.NextDouble() * 2.4 - 1.2) * top));
        foreach (int g in new[] { -3, 0, 2, 5 })
        {
            // pot8's top levels times 2^3 leave float32's range: such weights do not exist.
            float[] weights = values.Select(v => (float)Math.ScaleB(v, -g)).Where(float.IsFinite).ToArray();
            double[] actual = new WeightFakeQuantizer(format, rounding).Apply(tensor(weights), [g]).data<double>().ToArray();
            for (int i = 0; i < weights.Length; i++)
            {
                double expected = Math.ScaleB((double)format.Decode(format.Quantize(weights[i] * Math.ScaleB(1.0, g), rounding)), -g);
                Assert.True(expected == actual[i], $"{name} {rounding} g={g}: w={weights[i]:R} gave {actual[i]:R}, expected {expected:R}");
            }
        }
    }

    [Fact]
    public void Per_channel_exponents_scale_each_row()
    {
        var quantizer = new WeightFakeQuantizer(WeightFormat.Pot(4), Rounding.Nearest);
        Tensor w = tensor(new float[] { 0.3f, -0.7f, 0.3f, -0.7f }, [2, 2]);
        double[] q = quantizer.Apply(w, [0, 3]).data<double>().ToArray();
        // g = 0: 0.3 -> 0, -0.7 -> -1; g = 3: 2.4 -> 2, -5.6 -> -4 (ties and all: nearest pot4 level).
        Assert.Equal([0, -1, 0.25, -0.5], q);
    }

    [Fact]
    public void Requantisation_rounds_half_up_and_clamps_like_the_integer_engine()
    {
        const int f = 3;
        int[] accumulators = [-9, -1, 0, 3, 4, 5, 12, 2043, 2044, 2045, 100_000];
        const int shift = 2; // real accumulator = acc * 2^-(f + shift)
        Tensor x = tensor(accumulators.Select(a => Math.ScaleB(a, -(f + shift))).ToArray());
        double[] y = Activations.Requantize(x, f).data<double>().ToArray();
        for (int i = 0; i < accumulators.Length; i++)
        {
            Assert.Equal(Math.ScaleB(Engines.Requantization.Requantize(accumulators[i], shift), -f), y[i]);
        }
    }

    [Fact]
    public void Biases_round_half_away_from_zero_at_the_accumulator_scale()
    {
        Tensor b = tensor(new float[] { 0.0625f, -0.0625f, 0.1875f, -0.1875f, 0.03f });
        // Scale 2^(fIn + g) = 2^3: 0.5 -> 1, -0.5 -> -1, 1.5 -> 2, -1.5 -> -2, 0.24 -> 0.
        double[] q = Activations.Bias(b, 1, [2]).data<double>().ToArray();
        Assert.Equal([0.125, -0.125, 0.25, -0.25, 0], q);
    }
}
