namespace PotNet.Hardware;

/// <summary>The kind of processing element, which fixes the weight format family it takes.</summary>
public enum PeKind
{
    /// <summary>Bit-shift-accumulate: pot weights, a shift and a conditional negation per product.</summary>
    Bac,

    /// <summary>Multiply-accumulate: uniform weights, a multiplier per product.</summary>
    Mac,

    /// <summary>Additive powers of two: apot weights, two shifts and an add per product.</summary>
    Apot,
}
