using PotNet.Formats;

namespace PotNet.Tests.Formats;

public class CodeTests
{
    [Theory]
    [MemberData(nameof(FormatCases.All), MemberType = typeof(FormatCases))]
    public void DecodeEncodeRoundTripsEveryLevel(FormatKind kind, int bits)
    {
        WeightFormat format = FormatCases.Create(kind, bits);
        foreach (Int128 level in format.Levels)
        {
            Assert.Equal(level, format.Decode(format.Encode(level)));
        }
    }

    [Theory]
    [MemberData(nameof(FormatCases.All), MemberType = typeof(FormatCases))]
    public void EncodeDecodeRoundTripsEveryValidCode(FormatKind kind, int bits)
    {
        WeightFormat format = FormatCases.Create(kind, bits);
        for (int code = 0; code < 1 << bits; code++)
        {
            if (format.IsValidCode(code))
            {
                Assert.Equal(code, format.Encode(format.Decode(code)));
            }
            else
            {
                Assert.Throws<ArgumentOutOfRangeException>(() => format.Decode(code));
            }
        }
    }

    [Theory]
    [MemberData(nameof(FormatCases.All), MemberType = typeof(FormatCases))]
    public void HasOneUnusedCodeAndSymmetricSortedLevels(FormatKind kind, int bits)
    {
        WeightFormat format = FormatCases.Create(kind, bits);
        int valid = Enumerable.Range(0, 1 << bits).Count(format.IsValidCode);

        Assert.Equal((1 << bits) - 1, valid);
        Assert.Equal(valid, format.Levels.Count);
        Assert.False(format.IsValidCode(-1));
        Assert.False(format.IsValidCode(1 << bits));
        Assert.Equal(Int128.Zero, format.Decode(format.ZeroCode));
        for (int i = 1; i < format.Levels.Count; i++)
        {
            Assert.True(format.Levels[i - 1] < format.Levels[i]);
        }

        for (int i = 0; i < format.Levels.Count; i++)
        {
            Assert.Equal(format.Levels[i], -format.Levels[^(i + 1)]);
        }

        Assert.Equal(format.Levels[^1], format.MaxMagnitude);
    }

    [Theory]
    [MemberData(nameof(FormatCases.All), MemberType = typeof(FormatCases))]
    public void EncodeRejectsNonLevels(FormatKind kind, int bits)
    {
        WeightFormat format = FormatCases.Create(kind, bits);
        Assert.Throws<ArgumentOutOfRangeException>(() => format.Encode(format.MaxMagnitude + 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => format.Encode(-format.MaxMagnitude - 1));
        Int128 gap = Enumerable.Range(2, 200).Select(i => (Int128)i).FirstOrDefault(v => !format.Levels.Contains(v));
        if (gap != 0)
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => format.Encode(gap));
        }
    }

    [Theory]
    [MemberData(nameof(FormatCases.All), MemberType = typeof(FormatCases))]
    public void MagnitudeFieldOrdersMagnitudes(FormatKind kind, int bits)
    {
        WeightFormat format = FormatCases.Create(kind, bits);
        int half = 1 << (bits - 1);
        if (kind == FormatKind.Uniform)
        {
            // Two's complement order of the code is the order of the levels.
            int[] codes = Enumerable.Range(0, 1 << bits).Where(format.IsValidCode).ToArray();
            int Signed(int c) => c >= half ? c - (2 * half) : c;
            Assert.All(codes, c => Assert.Equal(Signed(c), format.Decode(c)));
            int[] byCode = codes.OrderBy(Signed).ToArray();
            for (int i = 1; i < byCode.Length; i++)
            {
                Assert.True(format.Decode(byCode[i - 1]) < format.Decode(byCode[i]));
            }

            return;
        }

        foreach (int sign in new[] { 0, half })
        {
            Int128[] magnitudes = Enumerable.Range(0, half)
                .Where(field => format.IsValidCode(sign | field))
                .Select(field => Int128.Abs(format.Decode(sign | field)))
                .ToArray();
            for (int i = 1; i < magnitudes.Length; i++)
            {
                // pot: a larger exponent field is a smaller magnitude; apot: a larger index a larger one.
                Assert.True(kind == FormatKind.Pot ? magnitudes[i - 1] > magnitudes[i] : magnitudes[i - 1] < magnitudes[i]);
            }
        }
    }

    [Theory]
    [MemberData(nameof(FormatCases.All), MemberType = typeof(FormatCases))]
    public void FactoryIdentityAndEquality(FormatKind kind, int bits)
    {
        WeightFormat format = FormatCases.Create(kind, bits);
        Assert.Equal(kind, format.Kind);
        Assert.Equal(bits, format.Bits);
        Assert.Equal(format, WeightFormat.Parse(format.Name.ToUpperInvariant()));
        Assert.True(format == FormatCases.Create(kind, bits));
        Assert.Equal(format.GetHashCode(), FormatCases.Create(kind, bits).GetHashCode());
        Assert.All(WeightFormat.All.Where(f => f.Kind != kind || f.Bits != bits), other => Assert.NotEqual(format, other));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(0)]
    [InlineData(-3)]
    public void FactoriesRejectUnsupportedWidths(int bits)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => WeightFormat.Pot(bits));
        Assert.Throws<ArgumentOutOfRangeException>(() => WeightFormat.Uniform(bits));
        Assert.Throws<ArgumentOutOfRangeException>(() => WeightFormat.Apot(bits));
    }
}
