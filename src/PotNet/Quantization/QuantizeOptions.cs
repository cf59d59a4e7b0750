using PotNet.Formats;

namespace PotNet.Quantization;

/// <summary>How <see cref="Quantizer"/> turns a float model into a quantised one.</summary>
public sealed record QuantizeOptions
{
    /// <summary>The weight format of every weighted layer not named in <see cref="LayerFormats"/>.</summary>
    public required WeightFormat Format { get; init; }

    /// <summary>Formats for particular layers, by layer name (mixed precision).</summary>
    public IReadOnlyDictionary<string, WeightFormat> LayerFormats { get; init; } = new Dictionary<string, WeightFormat>();

    /// <summary>
    /// One scale exponent per output channel instead of one per layer, in hidden layers: the logits
    /// layer keeps one, so that its outputs share a scale and their argmax means something.
    /// </summary>
    public bool PerChannel { get; init; }

    /// <summary>How a scaled weight is rounded to a level.</summary>
    public Rounding Rounding { get; init; } = Rounding.Nearest;

    /// <summary>Correct each bias for the mean effect of its layer's weight quantisation error on the calibration data.</summary>
    public bool BiasCorrection { get; init; } = true;

    /// <summary>The format of layer <paramref name="name"/>.</summary>
    public WeightFormat FormatOf(string name) => LayerFormats.TryGetValue(name, out WeightFormat? f) ? f : Format;
}
