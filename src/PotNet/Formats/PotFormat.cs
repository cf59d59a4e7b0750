namespace PotNet.Formats;

/// <summary>
/// pot(b): a sign bit (bit b-1, set means negative) and a (b-1)-bit exponent field e in the low
/// bits. With E = 2^(b-1) - 2, e in 0 .. E stands for ±2^(E-e); e = E+1 with the sign clear is
/// the zero code, and with the sign set ("negative zero") it is unused. pot(b) has 2^b - 1 levels:
/// pot4 is {0, ±1, ±2, ..., ±64}, pot2 is {-1, 0, 1}.
/// </summary>
/// <remarks>
/// A larger e means a smaller magnitude, so the zero code sits at the end of the exponent range
/// and the hardware needs no special case beyond it: the product with an activation x is
/// <c>x &lt;&lt; Shift(code)</c>, negated when <see cref="IsNegative"/>.
/// </remarks>
public sealed class PotFormat : WeightFormat
{
    internal PotFormat(int bits)
        : base(FormatKind.Pot, bits, code => Level(bits, code))
    {
        MaxShift = MaxExponent(bits);
    }

    /// <summary>E = 2^(b-1) - 2: the largest shift, that of the largest magnitude 2^E.</summary>
    public int MaxShift { get; }

    /// <summary>
    /// The shift E - e of a code: its magnitude is 2^shift. The zero code gives -1 (no term, as in
    /// <see cref="ApotFormat.Terms"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The code is not valid.</exception>
    public int Shift(int code)
    {
        RequireValidCode(code);
        return MaxShift - (code & FieldMask(Bits));
    }

    /// <summary>Whether the sign bit of a code is set; false for the zero code.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The code is not valid.</exception>
    public bool IsNegative(int code)
    {
        RequireValidCode(code);
        return (code >> (Bits - 1)) != 0;
    }

    private static int FieldMask(int bits) => (1 << (bits - 1)) - 1;

    private static int MaxExponent(int bits) => (1 << (bits - 1)) - 2;

    private static Int128? Level(int bits, int code)
    {
        bool negative = (code >> (bits - 1)) != 0;
        int e = code & FieldMask(bits);
        int max = MaxExponent(bits);
        if (e > max)
        {
            return negative ? null : Int128.Zero;
        }

        Int128 magnitude = Int128.One << (max - e);
        return negative ? -magnitude : magnitude;
    }
}
