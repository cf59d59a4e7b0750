using PotNet.Model;

namespace PotNet.Float;

/// <summary>
/// A weighted layer with real weights, as training or an ONNX file gives it: the input to
/// post-training quantisation. Weights are [OutChannels, InChannels / Groups, KernelHeight, KernelWidth].
/// </summary>
public sealed class FloatComputeLayer : Layer
{
    private readonly float[] _weights;
    private readonly float[] _bias;

    private readonly double[] _padding;

    /// <summary>
    /// Creates the layer; <paramref name="isDense"/> makes it a dense layer (1x1 geometry on a vector).
    /// <paramref name="paddingValues"/> (one real value per input channel, or null for zeros) is what
    /// the padded border reads.
    /// </summary>
    public FloatComputeLayer(string name, ConvGeometry geometry, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, bool relu, bool isDense = false, double[]? paddingValues = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        geometry.Validate(Error);
        if (weights.Length != geometry.OutChannels * geometry.FanIn) throw Error("weights", $"{weights.Length} values, expected {geometry.OutChannels * geometry.FanIn}");
        if (bias.Length != geometry.OutChannels) throw Error("bias", $"{bias.Length} values, expected {geometry.OutChannels}");
        if (isDense && geometry.Groups != 1) throw Error("groups", $"{geometry.Groups}: a dense layer has one group");
        Geometry = geometry;
        _weights = weights.ToArray();
        _bias = bias.ToArray();
        Relu = relu;
        IsDense = isDense;
        _padding = paddingValues?.ToArray() ?? [];
        if (_padding.Length > 0 && (_padding.Length != geometry.InChannels || geometry.Padding == 0 || isDense || _padding.Any(v => !double.IsFinite(v))))
        {
            throw Error("padding_value", $"{_padding.Length} values: expected one finite value per input channel ({geometry.InChannels}) of a padded convolution");
        }
    }

    /// <summary>The real value the padded border reads per input channel; empty when it reads 0.</summary>
    public ReadOnlySpan<double> PaddingValues => _padding;

    /// <summary>The value a padded tap of fan-in index <paramref name="k"/> of group <paramref name="group"/> reads (0 without padding values).</summary>
    public double PaddingValue(int group, int k) => _padding.Length == 0 ? 0 : _padding[Geometry.InputChannelOf(group, k)];

    /// <summary>A dense layer, <c>weights</c> as [out, in].</summary>
    public static FloatComputeLayer Dense(string name, int inFeatures, int outFeatures, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, bool relu) =>
        new(name, ConvGeometry.Dense(inFeatures, outFeatures), weights, bias, relu, isDense: true);

    /// <summary>Channels, kernel, stride, padding and groups.</summary>
    public ConvGeometry Geometry { get; }

    /// <summary>Real weights, [OutChannels, FanIn].</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>Real bias per output channel.</summary>
    public ReadOnlySpan<float> Bias => _bias;

    /// <summary>Whether a ReLU follows.</summary>
    public bool Relu { get; }

    /// <summary>True for a dense layer, false for a convolution.</summary>
    public bool IsDense { get; }

    /// <inheritdoc/>
    public override bool TakesResidual => true;

    /// <inheritdoc/>
    public override string TypeName => IsDense ? "dense" : "conv2d";

    /// <inheritdoc/>
    public override Shape OutputShape(Shape input)
    {
        if (IsDense && (input.Height != 1 || input.Width != 1))
        {
            throw Error("input", $"a dense layer takes a vector, got {input}: add a flatten layer before it");
        }

        return Geometry.OutputShape(input, Error);
    }
}
