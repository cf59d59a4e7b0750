namespace PotNet.Model;

/// <summary>
/// A weighted layer: accumulate <c>bias + sum(w_int * x)</c> in a signed integer, then either
/// requantise to u8 with the ReLU clamp (hidden layers, <see cref="OutputExponent"/> set) or output
/// the int32 accumulators as logits (the last layer, <see cref="OutputExponent"/> null).
/// </summary>
public abstract class ComputeLayer : Layer
{
    private readonly int[] _bias;
    private readonly byte[] _padding;
    private readonly AccumulatorBound[] _channelBounds;

    /// <summary>
    /// Creates and validates the layer: weight codes, bias length and the int32 accumulator bound.
    /// <paramref name="paddingValues"/> (one u8 per input channel, or null for zeros) is what the padded
    /// border reads: the input normalisation's zero, so that folding it into the layer stays exact.
    /// </summary>
    protected ComputeLayer(string name, ConvGeometry geometry, QuantizedWeights weights, ReadOnlySpan<int> bias, int? outputExponent, byte[]? paddingValues = null)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(weights);
        Geometry = geometry;
        Weights = weights;
        _bias = bias.ToArray();
        OutputExponent = outputExponent;
        _padding = paddingValues?.ToArray() ?? [];

        geometry.Validate(Error);
        if (_padding.Length > 0 && _padding.Length != geometry.InChannels) throw Error("padding_value", $"{_padding.Length} values, expected one per input channel ({geometry.InChannels})");
        if (_padding.Length > 0 && geometry.Padding == 0) throw Error("padding_value", "the layer has no padding");
        if (weights.OutChannels != geometry.OutChannels)
        {
            throw Error("weights", $"{weights.OutChannels} output channels, expected {geometry.OutChannels}");
        }

        weights.Validate(geometry.FanIn, Error);
        if (_bias.Length != geometry.OutChannels)
        {
            throw Error("bias", $"{_bias.Length} values, expected {geometry.OutChannels}");
        }

        if (outputExponent is int f && Math.Abs(f) > Exponents.Limit)
        {
            throw Error("output_exponent", $"{f} is outside [-{Exponents.Limit}, {Exponents.Limit}]");
        }

        _channelBounds = ChannelBounds();
        Accumulator = _channelBounds.Aggregate((a, b) => a.Union(b));
        if (!Accumulator.FitsInt32)
        {
            throw Error("weights", $"the accumulator needs {Accumulator.Bits} bits for the worst-case input, more than int32 holds (range [{Accumulator.Min}, {Accumulator.Max}])");
        }
    }

    /// <summary>Channels, kernel, stride, padding and groups; a dense layer is a 1x1 convolution over a 1x1 input.</summary>
    public ConvGeometry Geometry { get; }

    /// <summary>The quantised weights.</summary>
    public QuantizedWeights Weights { get; }

    /// <summary>Bias per output channel, int32 at the accumulator's scale <c>2^-(f_in + g)</c>.</summary>
    public ReadOnlySpan<int> Bias => _bias;

    /// <summary>The u8 value the padded border reads per input channel; empty when it reads 0.</summary>
    public ReadOnlySpan<byte> PaddingValues => _padding;

    /// <summary>The value a padded tap of fan-in index <paramref name="k"/> of group <paramref name="group"/> reads (0 without padding values).</summary>
    public int PaddingValue(int group, int k) => _padding.Length == 0 ? 0 : _padding[Geometry.InputChannelOf(group, k)];

    /// <summary>The output activations' exponent <c>f_out</c>, or null for the logits layer.</summary>
    public int? OutputExponent { get; }

    /// <summary>True for hidden layers: requantisation clamps at 0, which is the ReLU.</summary>
    public bool Relu => OutputExponent is not null;

    /// <summary>The accumulator's range over all output channels, each over its own fan-in, for the worst-case input.</summary>
    public AccumulatorBound Accumulator { get; }

    /// <inheritdoc/>
    public override bool TakesResidual => true;

    /// <summary>
    /// The accumulator's range with a residual source added, <c>x &lt;&lt; shift(co)</c> for x in [0, 255]
    /// per output channel (<see cref="LayerPlan.ResidualShift"/>): each channel's own range widened by
    /// <c>255 * 2^shift</c> at the top.
    /// </summary>
    public AccumulatorBound AccumulatorWithResidual(Func<int, int> shift)
    {
        ArgumentNullException.ThrowIfNull(shift);
        return _channelBounds.Select((bound, co) => bound.WithResidual(shift(co))).Aggregate((a, b) => a.Union(b));
    }

    /// <summary>Shape of the weight tensor as stored: [out, in / groups, kh, kw] for a convolution.</summary>
    public virtual int[] WeightShape => Geometry.WeightShape;

    /// <summary>Number of weights.</summary>
    public int ParameterCount => Geometry.OutChannels * Geometry.FanIn;

    /// <summary>The integer weights, [OutChannels, FanIn]; exact, since the accumulator bound fits int32.</summary>
    public int[] DecodeWeights() => Array.ConvertAll(Weights.Levels(), w => (int)w);

    /// <inheritdoc/>
    public override Shape OutputShape(Shape input) => Geometry.OutputShape(input, Error);

    private AccumulatorBound[] ChannelBounds()
    {
        Int128[] levels = Weights.Levels();
        int fanIn = Geometry.FanIn;
        return [.. Enumerable.Range(0, Geometry.OutChannels).Select(o => AccumulatorBound.Of(levels.AsSpan(o * fanIn, fanIn), _bias[o]).Union(new AccumulatorBound(0, 0)))];
    }
}
