using PotNet.Formats;
using PotNet.Model;

namespace PotNet.Quantization;

/// <summary>
/// Quantises one group of weights (a layer, or one output channel) to a format with a power-of-two
/// scale <c>2^-g</c>: the <c>g</c> of least squared error among those that map the largest weight
/// near the top level, subject to the int32 accumulator bound, which wide formats (pot6 and up) would
/// otherwise break: for them a smaller <c>g</c> leaves the top levels unused.
/// </summary>
public static class WeightQuantizer
{
    /// <summary>The codes of <paramref name="weights"/> at scale exponent <paramref name="g"/>.</summary>
    public static byte[] Codes(ReadOnlySpan<float> weights, WeightFormat format, int g, Rounding rounding)
    {
        ArgumentNullException.ThrowIfNull(format);
        var codes = new byte[weights.Length];
        double scale = Math.ScaleB(1.0, g);
        for (int i = 0; i < weights.Length; i++) codes[i] = format.Quantize(weights[i] * scale, rounding);
        return codes;
    }

    /// <summary>
    /// Chooses <c>g</c> and the codes for rows of weights that share it, with
    /// real biases <paramref name="bias"/> (one per row) rounded to int32 at scale
    /// <c>2^-(inputExponent + g)</c>. Returns null when no <c>g</c> in range keeps the accumulator in int32.
    /// With <paramref name="meanInput"/> (the mean input each weight of a row meets, over calibration
    /// data: FanIn values shared by every row, or rows x FanIn values, one row each, for rows that read
    /// different inputs (a grouped convolution's); empty for none) the bias is corrected for the quantisation error's mean effect
    /// (Nagel et al., ICCV 2019): <c>b + sum_k (w_k - q_k) E[x_k]</c>. Power-of-two rounding errs
    /// systematically, so without it a layer's outputs drift.
    /// With <paramref name="residualExponent"/> (the exponent <c>e_x</c> of a residual source the rows'
    /// accumulators add), only <c>g &gt;= e_x - inputExponent</c> is taken, so that the source is shifted
    /// left, exactly, to the accumulator's scale, and the bound includes its <c>255 &lt;&lt; shift</c>.
    /// </summary>
    public static (int G, byte[] Codes, int[] Bias)? Quantize(ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, WeightFormat format, Rounding rounding, int inputExponent, ReadOnlySpan<double> meanInput = default, int? residualExponent = null)
    {
        ArgumentNullException.ThrowIfNull(format);
        double maxAbs = 0;
        foreach (float w in weights) maxAbs = Math.Max(maxAbs, Math.Abs(w));
        double maxLevel = (double)format.MaxMagnitude;
        int top = maxAbs == 0 ? 0 : (int)Math.Floor(Math.Log2(maxLevel / maxAbs));
        top = Math.Clamp(top, -Exponents.Limit, Exponents.Limit - 2);
        int lowest = residualExponent is int ex ? Math.Max(ex - inputExponent, -Exponents.Limit) : -Exponents.Limit;

        (int G, byte[] Codes, int[] Bias)? best = null;
        double bestError = double.PositiveInfinity;
        // Candidates: the g that just avoids clipping, finer ones that clip the largest weights a
        // little, and coarser ones in case the accumulator bound rules the first out.
        for (int g = Math.Max(top + 2, lowest); g >= lowest; g--)
        {
            if (best is not null && g < top - 1) break;
            byte[] codes = Codes(weights, format, g, rounding);
            int? residualShift = residualExponent is int e ? g + inputExponent - e : null;
            int[]? intBias = Fits(weights, codes, bias, meanInput, format, g, g + inputExponent, residualShift);
            if (intBias is null) continue;
            double error = SquaredError(weights, codes, format, g);
            if (error < bestError)
            {
                best = (g, codes, intBias);
                bestError = error;
            }
        }

        return best;
    }

    /// <summary>The biases as int32 if they and every row's accumulator bound fit int32, else null.</summary>
    private static int[]? Fits(ReadOnlySpan<float> weights, byte[] codes, ReadOnlySpan<float> bias, ReadOnlySpan<double> meanInput, WeightFormat format, int g, int biasExponent, int? residualShift)
    {
        int rows = bias.Length, fanIn = codes.Length / rows;
        var intBias = new int[rows];
        var levels = new Int128[fanIn];
        for (int r = 0; r < rows; r++)
        {
            double real = bias[r];
            ReadOnlySpan<double> mean = meanInput.Length > fanIn ? meanInput.Slice(r * fanIn, fanIn) : meanInput;
            for (int k = 0; k < mean.Length; k++)
            {
                real += (weights[r * fanIn + k] - Math.ScaleB((double)format.Decode(codes[r * fanIn + k]), -g)) * mean[k];
            }

            double b = Math.Round(Math.ScaleB(real, biasExponent), MidpointRounding.AwayFromZero);
            if (!(b >= int.MinValue && b <= int.MaxValue)) return null;
            intBias[r] = (int)b;
            for (int k = 0; k < fanIn; k++) levels[k] = format.Decode(codes[r * fanIn + k]);
            AccumulatorBound bound = AccumulatorBound.Of(levels, intBias[r]);
            if (!(residualShift is int shift ? bound.WithResidual(shift) : bound).FitsInt32) return null;
        }

        return intBias;
    }

    private static double SquaredError(ReadOnlySpan<float> weights, byte[] codes, WeightFormat format, int g)
    {
        double error = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            double d = Math.ScaleB((double)format.Decode(codes[i]), -g) - weights[i];
            error += d * d;
        }

        return error;
    }
}
