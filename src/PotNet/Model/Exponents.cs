namespace PotNet.Model;

/// <summary>Limits on the power-of-two exponents a model may carry.</summary>
public static class Exponents
{
    /// <summary>
    /// Largest magnitude of an activation exponent <c>f</c> or weight exponent <c>g</c>. Real networks
    /// use single digits; the limit only keeps a corrupt file from describing absurd scales.
    /// </summary>
    public const int Limit = 64;

    /// <summary>The input image's exponent: pixel bytes are <c>q * 2^-8</c>, i.e. <c>pixel / 256</c>.</summary>
    public const int Input = 8;
}
