using TorchSharp;
using static TorchSharp.torch;

namespace PotNet.Training;

/// <summary>
/// The integer steps between layers, in real units inside the autograd graph: u8 requantisation
/// (round half up, clamp to [0, 255], the ReLU), rounded average pooling and int32 bias rounding.
/// Forward values equal <see cref="Engines.Requantization"/>'s results times the power-of-two scale
/// exactly, because every value is an integer times a power of two that the dtype holds exactly.
/// </summary>
public static class Activations
{
    /// <summary>
    /// u8 activations with exponent <paramref name="exponent"/>: <c>clamp(floor(x * 2^f + 1/2), 0, 255) * 2^-f</c>.
    /// Straight-through: the gradient is 1 where <c>0 &lt;= x &lt;= 255 * 2^-f</c>, 0 where the clamp
    /// (the ReLU below, saturation above) cuts.
    /// </summary>
    public static Tensor Requantize(Tensor x, int exponent)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        double factor = Math.ScaleB(1.0, exponent);
        using Scalar scale = factor.ToScalar(), top = (byte.MaxValue / factor).ToScalar();
        Tensor clipped = x.clamp(Scalars.ZeroReal, top);
        Tensor quantised = x.detach().mul(scale).add(Scalars.Half, Scalars.One).floor().clamp(Scalars.ZeroReal, Scalars.ByteMax).div(scale);
        return StraightThrough(quantised, clipped).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Average pooling of u8 activations with exponent <paramref name="exponent"/> over a power-of-two
    /// window: the window's mean, rounded half up to the activation grid. Straight-through gradient.
    /// </summary>
    public static Tensor AveragePool(Tensor x, int kernel, int stride, int exponent)
    {
        ArgumentNullException.ThrowIfNull(x);
        using var scope = NewDisposeScope();
        Tensor mean = nn.functional.avg_pool2d(x, [kernel, kernel], [stride, stride]);
        using Scalar scale = Math.ScaleB(1.0, exponent).ToScalar();
        Tensor quantised = mean.detach().mul(scale).add(Scalars.Half, Scalars.One).floor().div(scale);
        return StraightThrough(quantised, mean).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Biases as int32 at the accumulator's scale <c>2^-(fIn + g)</c> and back, float64, rounding half
    /// away from zero as <see cref="Quantization.WeightQuantizer"/> does; straight-through gradient.
    /// </summary>
    public static Tensor Bias(Tensor bias, int inputExponent, IReadOnlyList<int> exponents)
    {
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentNullException.ThrowIfNull(exponents);
        using var scope = NewDisposeScope();
        Tensor real = bias.to_type(ScalarType.Float64);
        Tensor scale = WeightFakeQuantizer.ScaleTensor(exponents.Select(g => g + inputExponent).ToArray(), bias.shape);
        Tensor units = real.detach().mul(scale);
        Tensor quantised = units.abs().add(Scalars.Half, Scalars.One).floor().mul(units.sign()).div(scale);
        return StraightThrough(quantised, real).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// <paramref name="value"/> forward, <paramref name="gradient"/>'s gradient backward: <c>value + (gradient - gradient.detach())</c>,
    /// whose second term is exactly 0. In the caller's dispose scope.
    /// </summary>
    internal static Tensor StraightThrough(Tensor value, Tensor gradient) => value.add(gradient.sub(gradient.detach()), Scalars.One);
}
