using PotNet.Formats;
using TorchSharp;
using static TorchSharp.torch;

namespace PotNet.Training;

/// <summary>
/// Rounds real weights to a format's levels at power-of-two scales inside the autograd graph, with a
/// straight-through estimator: the forward value is exactly <c>level * 2^-g</c>, the level being the
/// one <see cref="WeightFormat.Quantize(double, Rounding)"/> picks (its ties, its saturation); the
/// gradient passes to the real weight unchanged.
/// </summary>
public sealed class WeightFakeQuantizer
{
    private readonly LevelTable _table;

    /// <summary>Prepares the rounding tables of <paramref name="format"/>.</summary>
    public WeightFakeQuantizer(WeightFormat format, Rounding rounding)
    {
        ArgumentNullException.ThrowIfNull(format);
        Format = format;
        Rounding = rounding;
        _table = LevelTable.Of(format, rounding);
    }

    /// <summary>The weight format.</summary>
    public WeightFormat Format { get; }

    /// <summary>How a scaled weight is rounded to a level.</summary>
    public Rounding Rounding { get; }

    /// <summary>
    /// The fake-quantised weights, float64: <paramref name="weights"/> (any shape, output channels
    /// first) scaled by <c>2^g</c> with <paramref name="exponents"/> (one, or one per output channel),
    /// rounded to a level and scaled back. Exact: levels and powers of two are exact doubles.
    /// </summary>
    public Tensor Apply(Tensor weights, IReadOnlyList<int> exponents)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(exponents);
        using var scope = NewDisposeScope();
        Tensor real = weights.to_type(ScalarType.Float64);
        Tensor scale = ScaleTensor(exponents, weights.shape);
        Tensor units = real.detach().mul(scale);
        Tensor magnitudes = tensor(_table.Magnitudes.ToArray(), ScalarType.Float64);
        Tensor levels = magnitudes.index(MagnitudeIndex(units)).mul(units.sign());
        Tensor quantised = levels.div(scale);
        // The value is the quantised weight exactly; the gradient is real's.
        return Activations.StraightThrough(quantised, real).MoveToOuterDisposeScope();
    }

    /// <summary>The rounding tables: the magnitudes and the boundaries between them.</summary>
    public LevelTable Table => _table;

    /// <summary>
    /// The index in <see cref="LevelTable.Magnitudes"/> of each weight's level (0: the zero level), int64,
    /// for <paramref name="weights"/> at the scales <c>2^g</c> of <paramref name="exponents"/>; what <see cref="Apply"/> rounds to.
    /// </summary>
    public Tensor LevelIndex(Tensor weights, IReadOnlyList<int> exponents)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(exponents);
        using var scope = NewDisposeScope();
        Tensor units = weights.detach().to_type(ScalarType.Float64).mul(ScaleTensor(exponents, weights.shape));
        return MagnitudeIndex(units).MoveToOuterDisposeScope();
    }

    private Tensor MagnitudeIndex(Tensor units) => bucketize(units.abs(), tensor(_table.Boundaries.ToArray(), ScalarType.Float64), false, false);

    /// <summary><c>2^g</c> per output channel, shaped to broadcast over a tensor of <paramref name="shape"/>.</summary>
    internal static Tensor ScaleTensor(IReadOnlyList<int> exponents, long[] shape)
    {
        double[] scales = exponents.Select(g => Math.ScaleB(1.0, g)).ToArray();
        long[] view = new long[shape.Length];
        Array.Fill(view, 1L);
        view[0] = scales.Length;
        return tensor(scales, ScalarType.Float64).view(view);
    }
}
