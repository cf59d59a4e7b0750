using PotNet.Formats;
using TorchSharp;
using static TorchSharp.torch;

namespace PotNet.Training.Tests;

/// <summary>Straight-through estimators: gradients pass unchanged through rounding, and stop only where a clamp cuts.</summary>
public sealed class StraightThroughTests
{
    [Theory]
    [InlineData("pot4")]
    [InlineData("uniform3")]
    [InlineData("apot4")]
    public void Weight_gradients_pass_through_rounding_unchanged(string format)
    {
        var quantizer = new WeightFakeQuantizer(WeightFormat.Parse(format), Rounding.Nearest);
        // Inside the range, on zero, and far beyond the largest level (saturated): identity everywhere.
        Tensor w = tensor(new float[] { 0.013f, -0.4f, 0f, 0.26f, 900f, -900f }, requires_grad: true);
        float[] upstream = [1f, -2f, 0.5f, 3f, -1.25f, 4f];
        Tensor loss = (quantizer.Apply(w, [2]) * tensor(upstream.Select(u => (double)u).ToArray())).sum();
        loss.backward();
        Assert.Equal(upstream, w.grad!.data<float>().ToArray());
    }

    [Fact]
    public void Activation_gradients_pass_inside_the_u8_range_and_stop_where_the_clamp_cuts()
    {
        const int f = 4; // u8 range [0, 255/16 = 15.9375]
        Tensor x = tensor(new[] { -1.0, -0.01, 0.0, 0.03, 7.77, 15.9375, 15.94, 40.0 }, requires_grad: true);
        Activations.Requantize(x, f).sum().backward();
        Assert.Equal([0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0], x.grad!.data<double>().ToArray());
    }

    [Fact]
    public void Bias_gradients_pass_through_rounding_unchanged()
    {
        Tensor b = tensor(new float[] { 0.1f, -0.33f, 5f }, requires_grad: true);
        (Activations.Bias(b, 8, [3]) * tensor(new[] { 2.0, -1.0, 0.5 })).sum().backward();
        Assert.Equal([2f, -1f, 0.5f], b.grad!.data<float>().ToArray());
    }

    [Fact]
    public void Average_pooling_gradients_are_the_mean_s()
    {
        Tensor x = tensor(Enumerable.Range(0, 16).Select(i => i / 16.0).ToArray(), [1, 1, 4, 4], requires_grad: true);
        Activations.AveragePool(x, 2, 2, 4).sum().backward();
        Assert.All(x.grad!.data<double>().ToArray(), g => Assert.Equal(0.25, g));
    }
}
