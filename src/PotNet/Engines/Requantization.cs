namespace PotNet.Engines;

/// <summary>
/// The integer rounding steps of DESIGN.md's number formats, shared by every engine so that there
/// is one definition of them.
/// </summary>
public static class Requantization
{
    /// <summary>
    /// Requantises an accumulator to u8 by the shift <c>r = f_in + g - f_out</c>: for r &gt; 0
    /// <c>clamp((acc + 2^(r-1)) &gt;&gt; r, 0, 255)</c> (arithmetic shift, round half up); for r &lt;= 0 a left shift
    /// with saturation. The clamp at 0 is the ReLU.
    /// </summary>
    public static byte Requantize(int accumulator, int shift)
    {
        if (shift > 0)
        {
            // |acc| < 2^31, so for r > 32 the rounded quotient is 0 or rounds to 0 (kept exact below).
            return ClampToByte(RoundingShift(accumulator, Math.Min(shift, 62)));
        }

        if (accumulator <= 0) return 0;
        return -shift >= 8 ? byte.MaxValue : ClampToByte((long)accumulator << -shift);
    }

    /// <summary>
    /// <c>(value + 2^(shift-1)) &gt;&gt; shift</c>, an arithmetic shift that rounds half up; shift 0 is the
    /// identity. Used by requantisation and by average pooling.
    /// </summary>
    public static long RoundingShift(long value, int shift)
    {
        if (shift == 0) return value;
        return (value + (1L << (shift - 1))) >> shift;
    }

    private static byte ClampToByte(long value) => (byte)Math.Clamp(value, 0, byte.MaxValue);
}
