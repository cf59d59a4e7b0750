namespace PotNet.Model;

/// <summary>
/// The range an output's accumulator can reach, from the actual weights and the worst-case u8 input,
/// as FINN sizes its accumulators. Every partial sum is the bias plus a subset of the products, so
/// it lies in the same range whatever the order of summation.
/// </summary>
public readonly record struct AccumulatorBound(Int128 Min, Int128 Max)
{
    /// <summary>Largest value of an unsigned 8-bit activation.</summary>
    public const int MaxActivation = byte.MaxValue;

    /// <summary>The bound of one output: its bias plus products of its weights with inputs in [0, 255].</summary>
    public static AccumulatorBound Of(ReadOnlySpan<Int128> weights, long bias)
    {
        Int128 min = bias, max = bias;
        try
        {
            foreach (Int128 w in weights)
            {
                checked
                {
                    if (w > 0) max += w * MaxActivation;
                    else min += w * MaxActivation;
                }
            }
        }
        catch (OverflowException)
        {
            // Only formats as wide as pot(8) get here; such a layer is refused anyway.
            return new AccumulatorBound(Int128.MinValue, Int128.MaxValue);
        }

        return new AccumulatorBound(min, max);
    }

    /// <summary>Bits of the smallest two's complement accumulator that holds the range.</summary>
    public int Bits
    {
        get
        {
            int forMax = Max > 0 ? 129 - (int)Int128.LeadingZeroCount(Max) : 1;
            int forMin = Min < 0 ? 129 - (int)Int128.LeadingZeroCount(~Min) : 1;
            return Math.Max(forMax, forMin);
        }
    }

    /// <summary>True when a signed 32-bit accumulator holds the range.</summary>
    public bool FitsInt32 => Min >= int.MinValue && Max <= int.MaxValue;

    /// <summary>
    /// The range with a residual source added: <c>x &lt;&lt; shift</c> for x in [0, 255], which widens the
    /// top by <c>255 * 2^shift</c> (a shift of 100 or more stands for one far beyond int32).
    /// </summary>
    public AccumulatorBound WithResidual(int shift)
    {
        if (Max == Int128.MaxValue) return this;
        Int128 top = (Int128)MaxActivation << Math.Clamp(shift, 0, 100);
        return new AccumulatorBound(Min, Max > Int128.MaxValue - top ? Int128.MaxValue : Max + top);
    }

    /// <summary>The union of two ranges.</summary>
    public AccumulatorBound Union(AccumulatorBound other) =>
        new(Int128.Min(Min, other.Min), Int128.Max(Max, other.Max));
}
