using System.Numerics;
using CsCheck;
using PotNet.Formats;

namespace PotNet.Tests.Formats;

public class QuantizeTests
{
    private static readonly Rounding[] Modes = [Rounding.Nearest, Rounding.Log];

    private static Int128 Round(WeightFormat format, double x, Rounding rounding) =>
        format.Decode(format.Quantize(x, rounding));

    private static double Step(double value, int ulps)
    {
        for (; ulps > 0; ulps--)
        {
            value = Math.BitIncrement(value);
        }

        for (; ulps < 0; ulps++)
        {
            value = Math.BitDecrement(value);
        }

        return value;
    }

    /// <summary>
    /// Values in level units that stress the rule: uniform over the range and beyond, spread over
    /// every octave, a few ulps around the linear and log boundaries and around the levels, and specials.
    /// </summary>
    private static Gen<double> Values(WeightFormat format)
    {
        Int128[] magnitudes = FormatCases.Magnitudes(format);
        double max = (double)format.MaxMagnitude;
        Gen<double> sign = Gen.Bool.Select(negative => negative ? -1.0 : 1.0);
        Gen<double> linear = Gen.Double[-1.5 * max, 1.5 * max];
        Gen<double> octaves = Gen.Select(sign, Gen.Double[-4, Math.Log2(max) + 2], (s, e) => s * Math.Pow(2, e));
        Gen<double> nearBoundary = Gen.Select(sign, Gen.Int[0, magnitudes.Length - 2], Gen.Bool, Gen.Int[-3, 3], (s, i, geometric, ulps) =>
        {
            double p = (double)magnitudes[i];
            double q = (double)magnitudes[i + 1];
            double boundary = geometric && p > 0 ? Math.Sqrt(p * q) : (p / 2) + (q / 2);
            return s * Step(boundary, ulps);
        });
        Gen<double> nearLevel = Gen.Select(sign, Gen.Int[0, magnitudes.Length - 1], Gen.Int[-2, 2], (s, i, ulps) =>
            s * Step((double)magnitudes[i], ulps));
        Gen<double> special = Gen.OneOf(
            0.0, -0.0, double.Epsilon, -double.Epsilon, 1e-300, -1e-300, 0.5, -0.5,
            double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, -double.MaxValue);
        return Gen.Frequency((3, linear), (3, octaves), (4, nearBoundary), (2, nearLevel), (1, special));
    }

    [Theory]
    [MemberData(nameof(FormatCases.All), MemberType = typeof(FormatCases))]
    public void QuantizeMatchesTheExactBruteForceRule(FormatKind kind, int bits)
    {
        WeightFormat format = FormatCases.Create(kind, bits);
        Values(format).Sample(x =>
        {
            foreach (Rounding rounding in Modes)
            {
                Assert.Equal(ExactReference.Quantize(format, x, rounding), Round(format, x, rounding));
            }
        }, iter: 2000);
    }

    [Theory]
    [MemberData(nameof(FormatCases.All), MemberType = typeof(FormatCases))]
    public void QuantizeIsMonotonic(FormatKind kind, int bits)
    {
        WeightFormat format = FormatCases.Create(kind, bits);
        Gen.Select(Values(format), Values(format)).Sample((a, b) =>
        {
            double low = Math.Min(a, b);
            double high = Math.Max(a, b);
            foreach (Rounding rounding in Modes)
            {
                Assert.True(Round(format, low, rounding) <= Round(format, high, rounding));
            }
        }, iter: 2000);
    }

    [Theory]
    [MemberData(nameof(FormatCases.All), MemberType = typeof(FormatCases))]
    public void ExactTiesGoToTheSmallerMagnitude(FormatKind kind, int bits)
    {
        WeightFormat format = FormatCases.Create(kind, bits);
        Int128[] magnitudes = FormatCases.Magnitudes(format);
        for (int i = 0; i + 1 < magnitudes.Length; i++)
        {
            Int128 p = magnitudes[i];
            Int128 q = magnitudes[i + 1];
            double middle = ((double)p / 2) + ((double)q / 2);
            Assert.True(ExactReference.IsExactly(middle, (BigInteger)p + q, 1));
            foreach (int sign in new[] { 1, -1 })
            {
                Assert.Equal(sign * p, Round(format, sign * middle, Rounding.Nearest));
                Assert.Equal(sign * q, Round(format, sign * Math.BitIncrement(middle), Rounding.Nearest));
                if (p == 0)
                {
                    // The log mode's zero boundary is the same midpoint, with the same tie rule.
                    Assert.Equal(Int128.Zero, Round(format, sign * middle, Rounding.Log));
                    Assert.Equal(sign * q, Round(format, sign * Math.BitIncrement(middle), Rounding.Log));
                }
                else if (PerfectSquareRoot((BigInteger)p * q) is double root)
                {
                    Assert.Equal(sign * p, Round(format, sign * root, Rounding.Log));
                    Assert.Equal(sign * q, Round(format, sign * Math.BitIncrement(root), Rounding.Log));
                }
            }
        }
    }

    private static double? PerfectSquareRoot(BigInteger n)
    {
        double root = Math.Round(Math.Sqrt((double)n));
        return root < 1L << 52 && (BigInteger)root * (BigInteger)root == n ? root : null;
    }

    [Fact]
    public void KnownRoundings()
    {
        WeightFormat pot4 = WeightFormat.Pot(4);
        Assert.Equal(1, Round(pot4, 1.5, Rounding.Nearest));
        Assert.Equal(2, Round(pot4, 1.5, Rounding.Log));           // 1.5 > sqrt 2
        Assert.Equal(1, Round(pot4, 1.414, Rounding.Log));
        Assert.Equal(2, Round(pot4, 1.4143, Rounding.Log));
        Assert.Equal(-32, Round(pot4, -48, Rounding.Nearest));
        Assert.Equal(-64, Round(pot4, -48, Rounding.Log));          // 48 > sqrt(32 * 64) = 45.25
        Assert.Equal(64, Round(pot4, 1000, Rounding.Nearest));
        Assert.Equal(1, Round(pot4, 0.6, Rounding.Log));

        WeightFormat apot4 = WeightFormat.Apot(4);
        Assert.Equal(1, Round(apot4, 2, Rounding.Log));             // exact log tie between 1 and 4
        Assert.Equal(4, Round(apot4, Math.BitIncrement(2.0), Rounding.Log));
        Assert.Equal(8, Round(apot4, 6, Rounding.Log));             // 6 > sqrt(4 * 8)
        Assert.Equal(4, Round(apot4, 6, Rounding.Nearest));         // exact linear tie between 4 and 8
        Assert.Equal(1, Round(apot4, 2.5, Rounding.Nearest));

        WeightFormat uniform3 = WeightFormat.Uniform(3);
        Assert.Equal(2, Round(uniform3, 2.5, Rounding.Nearest));
        Assert.Equal(-2, Round(uniform3, -2.5, Rounding.Nearest));
        Assert.Equal(-3, Round(uniform3, -100, Rounding.Log));
    }

    [Theory]
    [MemberData(nameof(FormatCases.All), MemberType = typeof(FormatCases))]
    public void ZeroAndTinyValuesGiveTheZeroCode(FormatKind kind, int bits)
    {
        WeightFormat format = FormatCases.Create(kind, bits);
        double halfSmallest = (double)FormatCases.Magnitudes(format)[1] / 2;
        foreach (Rounding rounding in Modes)
        {
            foreach (double x in new[] { 0.0, -0.0, double.Epsilon, -double.Epsilon, 1e-300, -1e-12, 0.25 * halfSmallest, -halfSmallest, halfSmallest })
            {
                Assert.Equal(format.ZeroCode, format.Quantize(x, rounding));
            }
        }
    }

    [Theory]
    [MemberData(nameof(FormatCases.All), MemberType = typeof(FormatCases))]
    public void LevelsMapToThemselvesAndExtremesSaturate(FormatKind kind, int bits)
    {
        WeightFormat format = FormatCases.Create(kind, bits);
        foreach (Rounding rounding in Modes)
        {
            Assert.All(format.Levels, level => Assert.Equal(format.Encode(level), format.Quantize((double)level, rounding)));
            Assert.Equal(format.MaxMagnitude, Round(format, double.PositiveInfinity, rounding));
            Assert.Equal(-format.MaxMagnitude, Round(format, double.NegativeInfinity, rounding));
            Assert.Equal(format.MaxMagnitude, Round(format, 2 * (double)format.MaxMagnitude, rounding));
            Assert.Throws<ArgumentException>(() => format.Quantize(double.NaN, rounding));
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => format.Quantize(1.0, (Rounding)7));
    }
}
