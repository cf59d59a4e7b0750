namespace PotNet.Formats;

/// <summary>
/// Rounds a real value in level units to a code, for any format with a symmetric level set.
/// Each rounding mode is a sorted array of boundaries between adjacent magnitudes; the chosen
/// magnitude index is the number of boundaries strictly below |x|. That single comparison rule
/// gives both the tie rule (a value exactly on a boundary stays with the smaller magnitude) and
/// saturation (beyond the last boundary is the largest magnitude), with no allocation per call.
/// </summary>
internal sealed class LevelQuantizer
{
    private readonly double[] nearestBoundaries;
    private readonly double[] logBoundaries;
    private readonly byte[] positiveCodes;
    private readonly byte[] negativeCodes;

    public LevelQuantizer(CodeBook codes)
    {
        Int128[] magnitudes = codes.Levels.Where(level => level >= 0).ToArray();
        positiveCodes = magnitudes.Select(codes.Encode).ToArray();
        negativeCodes = magnitudes.Select(m => codes.Encode(-m)).ToArray();

        int count = magnitudes.Length - 1;
        nearestBoundaries = new double[count];
        logBoundaries = new double[count];
        for (int i = 0; i < count; i++)
        {
            nearestBoundaries[i] = ExactThreshold.Linear(magnitudes[i], magnitudes[i + 1]);

            // Zero has no logarithm, so the log mode shares the linear boundary to zero: half the
            // smallest nonzero magnitude. Both modes then agree on which values become zero.
            logBoundaries[i] = i == 0
                ? nearestBoundaries[0]
                : ExactThreshold.Geometric(magnitudes[i], magnitudes[i + 1]);
        }
    }

    public byte Quantize(double x, Rounding rounding)
    {
        if (double.IsNaN(x))
        {
            throw new ArgumentException("Cannot quantise NaN.", nameof(x));
        }

        double[] boundaries = rounding switch
        {
            Rounding.Nearest => nearestBoundaries,
            Rounding.Log => logBoundaries,
            _ => throw new ArgumentOutOfRangeException(nameof(rounding), rounding, "Unknown rounding mode."),
        };

        double magnitude = Math.Abs(x);
        int low = 0;
        int high = boundaries.Length;
        while (low < high)
        {
            int middle = (low + high) >>> 1;
            if (boundaries[middle] < magnitude)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        // Index 0 is the zero code in both tables, so -0.0 and negatives rounding to zero need no case.
        return x < 0 ? negativeCodes[low] : positiveCodes[low];
    }
}
