using System.Diagnostics.CodeAnalysis;

namespace PotNet.Formats;

/// <summary>
/// A weight number format: a b-bit code per weight and the integer level <c>w_int</c> it stands
/// for (the real weight is <c>w_int · 2^-g</c> with a per-layer or per-channel exponent g).
/// Instances are immutable and shared; two formats are equal when their kind and width are.
/// </summary>
/// <remarks>
/// Levels are <see cref="Int128"/> because pot(8) reaches ±2^126. Such levels never reach an
/// engine: a model that uses them fails the int32 accumulator check when it is built.
/// </remarks>
public abstract class WeightFormat : IEquatable<WeightFormat>
{
    /// <summary>The narrowest supported code width.</summary>
    public const int MinBits = 2;

    /// <summary>The widest supported code width.</summary>
    public const int MaxBits = 8;

    private readonly CodeBook codes;
    private readonly LevelQuantizer quantizer;

    // private protected: equality by (Kind, Bits) is only sound if no other assembly can add kinds.
    private protected WeightFormat(FormatKind kind, int bits, Func<int, Int128?> rule)
    {
        Kind = kind;
        Bits = bits;
        Name = $"{kind.ToString().ToLowerInvariant()}{bits}";
        codes = new CodeBook(Name, bits, rule);
        quantizer = new LevelQuantizer(codes);
    }

    /// <summary>The family of the format.</summary>
    public FormatKind Kind { get; }

    /// <summary>The code width b, from <see cref="MinBits"/> to <see cref="MaxBits"/>.</summary>
    public int Bits { get; }

    /// <summary>The canonical name, such as <c>pot4</c>, <c>uniform3</c> or <c>apot4</c>; <see cref="Parse"/> reads it back.</summary>
    public string Name { get; }

    /// <summary>The code of level 0.</summary>
    public byte ZeroCode => codes.ZeroCode;

    /// <summary>Every level, sorted ascending, zero included, without duplicates; 2^b - 1 of them for every format.</summary>
    public IReadOnlyList<Int128> Levels => codes.Levels;

    /// <summary>The largest |level|.</summary>
    public Int128 MaxMagnitude => codes.Levels[^1];

    /// <summary>Every supported format: pot, uniform and apot, each for b = 2 .. 8 (21 formats).</summary>
    public static IReadOnlyList<WeightFormat> All => Cache.ReadOnly;

    /// <summary>The power-of-two format pot(b).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is outside 2 .. 8.</exception>
    public static WeightFormat Pot(int bits) => Get(FormatKind.Pot, bits);

    /// <summary>The symmetric uniform format uniform(b).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is outside 2 .. 8.</exception>
    public static WeightFormat Uniform(int bits) => Get(FormatKind.Uniform, bits);

    /// <summary>The additive-powers-of-two format apot(b).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="bits"/> is outside 2 .. 8.</exception>
    public static WeightFormat Apot(int bits) => Get(FormatKind.Apot, bits);

    /// <summary>Reads a format name such as <c>pot4</c>, ignoring case.</summary>
    /// <exception cref="PotNetException">The name is not one of the 21 formats; the message quotes it and lists the valid forms.</exception>
    public static WeightFormat Parse(string name) =>
        TryParse(name, out WeightFormat? format)
            ? format
            : throw new PotNetException(
                $"Unknown weight format '{name}': expected pot<b>, uniform<b> or apot<b> with b from {MinBits} to {MaxBits}, such as pot4.");

    /// <summary>Reads a format name such as <c>pot4</c>, ignoring case; false for anything else.</summary>
    public static bool TryParse([NotNullWhen(true)] string? name, [NotNullWhen(true)] out WeightFormat? format)
    {
        format = Cache.Formats.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
        return format is not null;
    }

    /// <summary>Whether <paramref name="code"/> is in 0 .. 2^b - 1 and not an unused code (such as pot's negative zero).</summary>
    public bool IsValidCode(int code) => codes.IsValid(code);

    /// <summary>The integer level w_int of a code.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The code is not valid.</exception>
    public Int128 Decode(int code) => codes.Decode(code);

    /// <summary>The code of a level; the inverse of <see cref="Decode"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is not a level of this format.</exception>
    public byte Encode(Int128 level) => codes.Encode(level);

    /// <summary>Rounds a real value already in level units (<c>w · 2^g</c>) to a code.</summary>
    /// <remarks>
    /// <para><see cref="Rounding.Nearest"/>: the magnitude nearest |x| in the linear domain.</para>
    /// <para><see cref="Rounding.Log"/>: zero when |x| &lt;= m1/2 (m1 the smallest nonzero magnitude),
    /// else the nonzero magnitude nearest |x| in the log2 domain, so between adjacent magnitudes p &lt; q
    /// the boundary is sqrt(p·q).</para>
    /// <para>Normative for training code that must reproduce it: in both modes a tie (|x| exactly on a
    /// boundary, including |x| = m1/2) goes to the smaller magnitude; |x| beyond the largest magnitude
    /// saturates to it; the sign of x is kept unless the result is zero, which is always
    /// <see cref="ZeroCode"/> (so -0.0 gives <see cref="ZeroCode"/>). Boundaries are compared exactly,
    /// with no floating-point rounding. Infinities saturate.</para>
    /// </remarks>
    /// <exception cref="ArgumentException"><paramref name="x"/> is NaN.</exception>
    public byte Quantize(double x, Rounding rounding) => quantizer.Quantize(x, rounding);

    /// <summary>Throws the same exception as <see cref="Decode"/> for an invalid code.</summary>
    private protected void RequireValidCode(int code) => codes.RequireValid(code);

    /// <summary>Equal when kind and width are equal.</summary>
    public bool Equals(WeightFormat? other) => other is not null && Kind == other.Kind && Bits == other.Bits;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as WeightFormat);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Kind, Bits);

    /// <summary>The <see cref="Name"/>.</summary>
    public override string ToString() => Name;

    /// <summary>Equal when kind and width are equal.</summary>
    public static bool operator ==(WeightFormat? left, WeightFormat? right) => left?.Equals(right) ?? right is null;

    /// <summary>Different in kind or width.</summary>
    public static bool operator !=(WeightFormat? left, WeightFormat? right) => !(left == right);

    private static WeightFormat Get(FormatKind kind, int bits)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bits, MinBits);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bits, MaxBits);
        return Cache.Formats[((int)kind * (MaxBits - MinBits + 1)) + bits - MinBits];
    }

    // A nested class so the tables are built on first use, not when WeightFormat is first touched.
    private static class Cache
    {
        internal static readonly WeightFormat[] Formats = Create();
        internal static readonly IReadOnlyList<WeightFormat> ReadOnly = Array.AsReadOnly(Formats);

        private static WeightFormat[] Create()
        {
            var all = new List<WeightFormat>();
            for (int bits = MinBits; bits <= MaxBits; bits++)
            {
                all.Add(new PotFormat(bits));
            }

            for (int bits = MinBits; bits <= MaxBits; bits++)
            {
                all.Add(new UniformFormat(bits));
            }

            for (int bits = MinBits; bits <= MaxBits; bits++)
            {
                all.Add(new ApotFormat(bits));
            }

            return [.. all];
        }
    }
}
