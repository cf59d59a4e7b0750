using PotNet.Formats;

namespace PotNet.Training;

/// <summary>
/// A weight format's rounding as two tables a tensor library can apply: the magnitudes, ascending,
/// and the boundaries between them. The magnitude index of |x| is the number of boundaries strictly
/// below |x| (<c>torch.bucketize</c> with <c>right = false</c>), the rule of
/// <see cref="WeightFormat.Quantize(double, Rounding)"/>. The boundaries are not derived again here:
/// each is found by asking <see cref="WeightFormat.Quantize(double, Rounding)"/> itself for the largest
/// double that still rounds down, so ties, saturation and exact thresholds are its own.
/// </summary>
public sealed class LevelTable
{
    private LevelTable(double[] magnitudes, double[] boundaries)
    {
        Magnitudes = magnitudes;
        Boundaries = boundaries;
    }

    /// <summary>The nonnegative levels, ascending, zero first.</summary>
    public IReadOnlyList<double> Magnitudes { get; }

    /// <summary>Boundary i is the largest double that rounds to magnitude i or below.</summary>
    public IReadOnlyList<double> Boundaries { get; }

    /// <summary>The table of <paramref name="format"/> under <paramref name="rounding"/>.</summary>
    public static LevelTable Of(WeightFormat format, Rounding rounding)
    {
        ArgumentNullException.ThrowIfNull(format);
        double[] magnitudes = format.Levels.Where(l => l >= 0).Select(l => (double)l).ToArray();
        var boundaries = new double[magnitudes.Length - 1];
        for (int i = 0; i < boundaries.Length; i++)
        {
            boundaries[i] = LargestRoundingTo(format, rounding, magnitudes[i], magnitudes[i + 1]);
        }

        return new LevelTable(magnitudes, boundaries);
    }

    /// <summary>The largest x in [low, high) with |Quantize(x)| &lt;= low: a binary search over the bit patterns of nonnegative doubles, which are ordered as the doubles are.</summary>
    private static double LargestRoundingTo(WeightFormat format, Rounding rounding, double low, double high)
    {
        long below = BitConverter.DoubleToInt64Bits(low), above = BitConverter.DoubleToInt64Bits(high);
        while (above - below > 1)
        {
            long middle = below + ((above - below) / 2);
            double x = BitConverter.Int64BitsToDouble(middle);
            if ((double)format.Decode(format.Quantize(x, rounding)) <= low) below = middle;
            else above = middle;
        }

        return BitConverter.Int64BitsToDouble(below);
    }
}
