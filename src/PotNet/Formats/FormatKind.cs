namespace PotNet.Formats;

/// <summary>The family of a <see cref="WeightFormat"/>; the width is <see cref="WeightFormat.Bits"/>.</summary>
public enum FormatKind
{
    /// <summary>Power of two: sign and exponent, levels 0 and ±2^k (<see cref="PotFormat"/>).</summary>
    Pot,

    /// <summary>Symmetric two's complement integers (<see cref="UniformFormat"/>).</summary>
    Uniform,

    /// <summary>Additive powers of two: sign and a sum of two power-of-two terms (<see cref="ApotFormat"/>).</summary>
    Apot,
}
