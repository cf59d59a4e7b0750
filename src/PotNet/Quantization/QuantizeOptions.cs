using PotNet.Formats;

namespace PotNet.Quantization;

/// <summary>How <see cref="Quantizer"/> turns a float model into a quantised one.</summary>
public sealed record QuantizeOptions
{
    /// <summary>The weight format of every weighted layer not named in <see cref="LayerFormats"/>.</summary>
    public required WeightFormat Format { get; init; }

    /// <summary>Formats for particular layers, by layer name (mixed precision).</summary>
    public IReadOnlyDictionary<string, WeightFormat> LayerFormats { get; init; } = new Dictionary<string, WeightFormat>();

    /// <summary>One scale exponent per output channel instead of one per layer.</summary>
    public bool PerChannel { get; init; }

    /// <summary>How a scaled weight is rounded to a level.</summary>
    public Rounding Rounding { get; init; } = Rounding.Nearest;

    /// <summary>The format of layer <paramref name="name"/>.</summary>
    public WeightFormat FormatOf(string name) => LayerFormats.TryGetValue(name, out WeightFormat? f) ? f : Format;
}
