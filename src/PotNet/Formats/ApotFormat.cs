namespace PotNet.Formats;

/// <summary>
/// apot(b), additive powers of two (Li et al., ICLR 2020) with two terms: a sign bit (bit b-1,
/// set means negative) and a (b-1)-bit index into the ascending list of magnitudes; index 0 is
/// zero, and the negative zero code is unused, so apot(b) has 2^b - 1 levels.
/// </summary>
/// <remarks>
/// With m = b-1 magnitude bits, k0 = ceil(m/2) and k1 = floor(m/2): term 0 is 0 or 2^-(2j) for
/// j = 0 .. 2^k0 - 2, term 1 is 0 or 2^-(2j+1) for j = 0 .. 2^k1 - 2 (a term with no bits is
/// always 0). The magnitudes are all sums term0 + term1, scaled by 2^D, where D is the deepest
/// exponent used, to make them integers. Term 0 uses even exponents and term 1 odd ones, so all
/// 2^m sums are distinct. apot4 has magnitudes {0, 1, 4, 8, 9, 12, 16, 24}.
/// </remarks>
public sealed class ApotFormat : WeightFormat
{
    /// <summary>Per magnitude index: the shifts of its two terms, -1 for an absent term.</summary>
    private readonly (int Shift0, int Shift1)[] terms;

    internal ApotFormat(int bits)
        : this(bits, BuildMagnitudes(bits))
    {
    }

    private ApotFormat(int bits, Magnitude[] magnitudes)
        : base(FormatKind.Apot, bits, code => Level(bits, magnitudes, code))
    {
        terms = magnitudes.Select(m => (m.Shift0, m.Shift1)).ToArray();
        MaxShift = magnitudes.Max(m => Math.Max(m.Shift0, m.Shift1));
    }

    /// <summary>D: the largest term shift, that of the term 2^0 before scaling.</summary>
    public int MaxShift { get; }

    /// <summary>
    /// The shifts of the two terms of a code's magnitude: magnitude = 2^Shift0 + 2^Shift1, where a
    /// shift of -1 means the term is absent (contributes 0). Shift0 belongs to term 0 (even
    /// exponents before scaling), Shift1 to term 1 (odd exponents); when both are present they
    /// differ. The zero code gives (-1, -1). The product with an activation x is
    /// <c>(x &lt;&lt; Shift0) + (x &lt;&lt; Shift1)</c> over the present terms, negated when
    /// <see cref="IsNegative"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The code is not valid.</exception>
    public (int Shift0, int Shift1) Terms(int code)
    {
        RequireValidCode(code);
        return terms[code & IndexMask(Bits)];
    }

    /// <summary>Whether the sign bit of a code is set; false for the zero code.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The code is not valid.</exception>
    public bool IsNegative(int code)
    {
        RequireValidCode(code);
        return (code >> (Bits - 1)) != 0;
    }

    private static int IndexMask(int bits) => (1 << (bits - 1)) - 1;

    private static Int128? Level(int bits, Magnitude[] magnitudes, int code)
    {
        bool negative = (code >> (bits - 1)) != 0;
        int index = code & IndexMask(bits);
        if (index == 0)
        {
            return negative ? null : Int128.Zero;
        }

        return negative ? -magnitudes[index].Value : magnitudes[index].Value;
    }

    private static Magnitude[] BuildMagnitudes(int bits)
    {
        int m = bits - 1;
        List<int> exponents0 = TermExponents((m + 1) / 2, first: 0);
        List<int> exponents1 = TermExponents(m / 2, first: 1);
        int deepest = exponents0.Concat(exponents1).DefaultIfEmpty(0).Max();

        // -1 stands for the absent term both here and in the shifts.
        var sums = new List<Magnitude>();
        foreach (int e0 in exponents0.Prepend(-1))
        {
            foreach (int e1 in exponents1.Prepend(-1))
            {
                int shift0 = e0 < 0 ? -1 : deepest - e0;
                int shift1 = e1 < 0 ? -1 : deepest - e1;
                sums.Add(new Magnitude(Power(shift0) + Power(shift1), shift0, shift1));
            }
        }

        sums.Sort((a, b) => a.Value.CompareTo(b.Value));
        return [.. sums];
    }

    /// <summary>The exponents 2j + first, j = 0 .. 2^termBits - 2, of one term (none for 0 bits).</summary>
    private static List<int> TermExponents(int termBits, int first) =>
        Enumerable.Range(0, (1 << termBits) - 1).Select(j => (2 * j) + first).ToList();

    private static Int128 Power(int shift) => shift < 0 ? Int128.Zero : Int128.One << shift;

    private readonly record struct Magnitude(Int128 Value, int Shift0, int Shift1);
}
