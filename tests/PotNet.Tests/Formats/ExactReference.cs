using System.Numerics;
using PotNet.Formats;

namespace PotNet.Tests.Formats;

/// <summary>
/// A brute-force, exact model of <see cref="WeightFormat.Quantize"/>: it scans every level and
/// compares distances in exact rational arithmetic (a double is m·2^e exactly), so it shares
/// neither the implementation's boundaries nor its floating-point rounding.
/// </summary>
public static class ExactReference
{
    /// <summary>The level the rule chooses for x, scanning all levels.</summary>
    public static Int128 Quantize(WeightFormat format, double x, Rounding rounding)
    {
        var (a, shift) = Scaled(Math.Abs(x));
        Int128[] magnitudes = FormatCases.Magnitudes(format);
        BigInteger Scale(Int128 level) => (BigInteger)level << shift;

        Int128 best;
        if (rounding == Rounding.Nearest)
        {
            best = magnitudes[0];
            foreach (Int128 m in magnitudes)
            {
                // Strictly nearer only: scanning upwards, a tie keeps the smaller magnitude.
                if (BigInteger.Abs(a - Scale(m)) < BigInteger.Abs(a - Scale(best)))
                {
                    best = m;
                }
            }
        }
        else if (2 * a <= Scale(magnitudes[1]))
        {
            best = Int128.Zero;
        }
        else
        {
            best = magnitudes[1];
            foreach (Int128 m in magnitudes.Skip(1))
            {
                if (LogNearer(a, Scale(m), Scale(best)))
                {
                    best = m;
                }
            }
        }

        return x < 0 ? -best : best;
    }

    /// <summary>Whether a is strictly nearer to p than to q in the log domain (all positive).</summary>
    public static bool LogNearer(BigInteger a, BigInteger p, BigInteger q)
    {
        // |log(a/p)| < |log(a/q)|  <=>  max(a,p)/min(a,p) < max(a,q)/min(a,q)
        return BigInteger.Max(a, p) * BigInteger.Min(a, q) < BigInteger.Max(a, q) * BigInteger.Min(a, p);
    }

    /// <summary>A finite non-negative double as an integer numerator over 2^shift, exactly.</summary>
    public static (BigInteger Numerator, int Shift) Scaled(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            // Beyond every level of every format; the model only needs "larger than all".
            return (BigInteger.One << 200, 0);
        }

        long bits = BitConverter.DoubleToInt64Bits(value);
        int biased = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & ((1L << 52) - 1);
        BigInteger mantissa = biased == 0 ? fraction : fraction | (1L << 52);
        int exponent = biased == 0 ? -1074 : biased - 1075;
        return exponent >= 0 ? (mantissa << exponent, 0) : (mantissa, -exponent);
    }

    /// <summary>Whether a double equals the rational numerator / 2^shift exactly.</summary>
    public static bool IsExactly(double value, BigInteger numerator, int shift)
    {
        var (n, s) = Scaled(value);
        int common = Math.Max(s, shift);
        return n << (common - s) == numerator << (common - shift);
    }
}
