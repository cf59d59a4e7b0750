using System.Numerics;

namespace PotNet.Formats;

/// <summary>
/// Decision thresholds between two adjacent magnitudes, as doubles chosen so that comparing a
/// double against them is exact: for every double <c>a</c>, <c>a &gt; t</c> holds exactly when
/// <c>a</c> lies beyond the true (real-valued) boundary. A naive <c>(p + q) / 2</c> or
/// <c>Math.Sqrt(p * q)</c> can be one ulp off, which would move ties and break the tie rule that
/// training code must reproduce.
/// </summary>
internal static class ExactThreshold
{
    /// <summary>The largest double t with t &lt;= (p + q) / 2: the linear-domain boundary.</summary>
    public static double Linear(Int128 p, Int128 q)
    {
        BigInteger sum = (BigInteger)p + q;
        return LargestSatisfying(((double)p / 2) + ((double)q / 2), t =>
        {
            var (mantissa, exponent) = Decompose(t);
            return ScaledAtMost(mantissa * 2, exponent, sum);
        });
    }

    /// <summary>The largest double t with t² &lt;= p·q: the log-domain boundary sqrt(p·q). Needs p, q &gt; 0.</summary>
    public static double Geometric(Int128 p, Int128 q)
    {
        BigInteger product = (BigInteger)p * q;
        return LargestSatisfying(Math.Sqrt((double)p * (double)q), t =>
        {
            var (mantissa, exponent) = Decompose(t);
            return ScaledAtMost(mantissa * mantissa, 2 * exponent, product);
        });
    }

    // The guess is within a few ulps of the answer, so a short walk finds the exact boundary.
    private static double LargestSatisfying(double guess, Func<double, bool> fits)
    {
        while (!fits(guess))
        {
            guess = Math.BitDecrement(guess);
        }

        while (fits(Math.BitIncrement(guess)))
        {
            guess = Math.BitIncrement(guess);
        }

        return guess;
    }

    /// <summary>Whether mantissa · 2^exponent &lt;= target, in exact integer arithmetic.</summary>
    private static bool ScaledAtMost(BigInteger mantissa, int exponent, BigInteger target) =>
        exponent >= 0 ? mantissa << exponent <= target : mantissa <= target << -exponent;

    /// <summary>A finite non-negative double as mantissa · 2^exponent, exactly.</summary>
    private static (BigInteger Mantissa, int Exponent) Decompose(double t)
    {
        long bits = BitConverter.DoubleToInt64Bits(t);
        int biased = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & ((1L << 52) - 1);
        return biased == 0 ? (fraction, -1074) : (fraction | (1L << 52), biased - 1075);
    }
}
