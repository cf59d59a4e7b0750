using PotNet.Formats;

namespace PotNet.Model;

/// <summary>
/// A weighted layer's quantised weights: codes of one <see cref="WeightFormat"/> and power-of-two
/// scale exponents. The real weight is <c>Decode(code) * 2^-g</c>, with one <c>g</c> for the layer or
/// one per output channel.
/// </summary>
public sealed class QuantizedWeights
{
    private readonly byte[] _codes;
    private readonly int[] _scaleExponents;

    /// <summary>
    /// Creates quantised weights. <paramref name="codes"/> is laid out as [OutChannels, ...] with
    /// <paramref name="outChannels"/> rows of equal length; <paramref name="scaleExponents"/> has one
    /// entry (per layer) or one per output channel. Arrays are copied.
    /// </summary>
    public QuantizedWeights(WeightFormat format, int outChannels, ReadOnlySpan<byte> codes, ReadOnlySpan<int> scaleExponents, Rounding rounding = Rounding.Nearest)
    {
        ArgumentNullException.ThrowIfNull(format);
        Format = format;
        OutChannels = outChannels;
        Rounding = rounding;
        _codes = codes.ToArray();
        _scaleExponents = scaleExponents.ToArray();
    }

    /// <summary>The number format of the codes.</summary>
    public WeightFormat Format { get; }

    /// <summary>The rounding used to choose levels (provenance: it does not change the arithmetic).</summary>
    public Rounding Rounding { get; }

    /// <summary>Number of output channels (rows of <see cref="Codes"/>).</summary>
    public int OutChannels { get; }

    /// <summary>The codes, [OutChannels, FanIn] in row-major order.</summary>
    public ReadOnlySpan<byte> Codes => _codes;

    /// <summary>Scale exponents <c>g</c>: one for the layer, or one per output channel.</summary>
    public ReadOnlySpan<int> ScaleExponents => _scaleExponents;

    /// <summary>True when each output channel has its own scale exponent.</summary>
    public bool PerChannel => _scaleExponents.Length > 1;

    /// <summary>The scale exponent <c>g</c> of output channel <paramref name="channel"/>.</summary>
    public int ScaleExponent(int channel) => _scaleExponents.Length == 1 ? _scaleExponents[0] : _scaleExponents[channel];

    /// <summary>Fraction of weights that are the zero code (pruned or quantised to zero).</summary>
    public double Sparsity => _codes.Length == 0 ? 0 : (double)_codes.Count(c => c == Format.ZeroCode) / _codes.Length;

    /// <summary>The integer levels <c>w_int</c>, exactly; wide formats need 128 bits.</summary>
    public Int128[] Levels() => Array.ConvertAll(_codes, c => Format.Decode(c));

    /// <summary>
    /// Checks codes and exponent counts; <paramref name="fanIn"/> is the expected row length and
    /// <paramref name="fail"/> builds the error for a field.
    /// </summary>
    internal void Validate(int fanIn, Func<string, string, PotNetException> fail)
    {
        if (_codes.Length != (long)OutChannels * fanIn)
        {
            throw fail("weights.codes", $"{_codes.Length} codes, expected {OutChannels} x {fanIn} = {(long)OutChannels * fanIn}");
        }

        if (_scaleExponents.Length != 1 && _scaleExponents.Length != OutChannels)
        {
            throw fail("weights.scale_exponents", $"{_scaleExponents.Length} exponents, expected 1 (per layer) or {OutChannels} (per channel)");
        }

        for (int i = 0; i < _codes.Length; i++)
        {
            if (!Format.IsValidCode(_codes[i]))
            {
                throw fail("weights.codes", $"code {_codes[i]} at index {i} is not a valid {Format.Name} code");
            }
        }

        foreach (int g in _scaleExponents)
        {
            if (Math.Abs(g) > Exponents.Limit)
            {
                throw fail("weights.scale_exponents", $"{g} is outside [-{Exponents.Limit}, {Exponents.Limit}]");
            }
        }
    }
}
