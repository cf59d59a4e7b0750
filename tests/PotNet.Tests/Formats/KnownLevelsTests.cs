using PotNet.Formats;

namespace PotNet.Tests.Formats;

public class KnownLevelsTests
{
    private static Int128[] Symmetric(params int[] magnitudes) =>
        magnitudes.Where(m => m != 0).Select(m => -(Int128)m).Reverse()
            .Concat(magnitudes.Select(m => (Int128)m)).ToArray();

    [Fact]
    public void PotLevels()
    {
        Assert.Equal(Symmetric(0, 1, 2, 4, 8, 16, 32, 64), WeightFormat.Pot(4).Levels);
        Assert.Equal(Symmetric(0, 1), WeightFormat.Pot(2).Levels);
        Assert.Equal(Symmetric(0, 1, 2, 4), WeightFormat.Pot(3).Levels);
        Assert.Equal(Int128.One << 126, WeightFormat.Pot(8).MaxMagnitude);
        Assert.Equal(7, WeightFormat.Pot(4).ZeroCode);
        Assert.False(WeightFormat.Pot(4).IsValidCode(15));
    }

    [Fact]
    public void UniformLevels()
    {
        Assert.Equal(Symmetric(0, 1, 2, 3), WeightFormat.Uniform(3).Levels);
        Assert.Equal(Symmetric(0, 1), WeightFormat.Uniform(2).Levels);
        Assert.Equal(127, WeightFormat.Uniform(8).MaxMagnitude);
        Assert.Equal(0, WeightFormat.Uniform(3).ZeroCode);
        Assert.False(WeightFormat.Uniform(3).IsValidCode(4));
        Assert.Equal(-1, WeightFormat.Uniform(3).Decode(7));
    }

    [Fact]
    public void ApotLevels()
    {
        Assert.Equal(Symmetric(0, 1), WeightFormat.Apot(2).Levels);
        Assert.Equal(Symmetric(0, 1, 2, 3), WeightFormat.Apot(3).Levels);
        Assert.Equal(Symmetric(0, 1, 4, 8, 9, 12, 16, 24), WeightFormat.Apot(4).Levels);
        Assert.Equal(Symmetric(0, 1, 2, 3, 4, 6, 8, 9, 12, 16, 18, 24, 32, 33, 36, 48), WeightFormat.Apot(5).Levels);
        Assert.Equal(6144, WeightFormat.Apot(6).MaxMagnitude);
        Assert.Equal(12288, WeightFormat.Apot(7).MaxMagnitude);
        Assert.Equal((Int128.One << 28) + (Int128.One << 27), WeightFormat.Apot(8).MaxMagnitude);
        Assert.Equal([0, 1, 4, 5, 12, 13, 28], Enumerable.Range(2, 7).Select(b => ((ApotFormat)WeightFormat.Apot(b)).MaxShift));
        Assert.Equal(0, WeightFormat.Apot(4).ZeroCode);
        Assert.False(WeightFormat.Apot(4).IsValidCode(8));
    }

    [Fact]
    public void PotShifts()
    {
        var pot4 = (PotFormat)WeightFormat.Pot(4);
        Assert.Equal(6, pot4.MaxShift);
        Assert.Equal(6, pot4.Shift(0));
        Assert.Equal(64, pot4.Decode(0));
        Assert.Equal(0, pot4.Shift(6));
        Assert.Equal(1, pot4.Decode(6));
        Assert.Equal(-1, pot4.Shift(7));
        Assert.False(pot4.IsNegative(7));
        Assert.Equal(4, pot4.Shift(10));
        Assert.True(pot4.IsNegative(10));
        Assert.Equal(-16, pot4.Decode(10));
        Assert.Throws<ArgumentOutOfRangeException>(() => pot4.Shift(15));
        Assert.Throws<ArgumentOutOfRangeException>(() => pot4.IsNegative(16));
        Assert.Equal(126, ((PotFormat)WeightFormat.Pot(8)).MaxShift);
        Assert.Equal(0, ((PotFormat)WeightFormat.Pot(2)).MaxShift);
    }

    [Fact]
    public void ApotTerms()
    {
        var apot4 = (ApotFormat)WeightFormat.Apot(4);
        Assert.Equal(4, apot4.MaxShift);
        Assert.Equal((-1, -1), apot4.Terms(0));
        Assert.Equal((0, -1), apot4.Terms(1));   // 1 = 2^0
        Assert.Equal((2, -1), apot4.Terms(2));   // 4 = 2^2
        Assert.Equal((-1, 3), apot4.Terms(3));   // 8 = 2^3
        Assert.Equal((0, 3), apot4.Terms(4));    // 9 = 2^0 + 2^3
        Assert.Equal((4, 3), apot4.Terms(7));    // 24 = 2^4 + 2^3
        Assert.Equal((4, 3), apot4.Terms(15));
        Assert.True(apot4.IsNegative(15));
        Assert.Equal(-24, apot4.Decode(15));
        Assert.Throws<ArgumentOutOfRangeException>(() => apot4.Terms(8));
    }

    [Theory]
    [MemberData(nameof(FormatCases.All), MemberType = typeof(FormatCases))]
    public void HardwareFieldsReconstructEveryLevel(FormatKind kind, int bits)
    {
        WeightFormat format = FormatCases.Create(kind, bits);
        static Int128 Term(int shift) => shift < 0 ? Int128.Zero : Int128.One << shift;
        for (int code = 0; code < 1 << bits; code++)
        {
            if (!format.IsValidCode(code))
            {
                continue;
            }

            switch (format)
            {
                case PotFormat pot:
                    Assert.InRange(pot.Shift(code), -1, pot.MaxShift);
                    Assert.Equal(format.Decode(code), pot.IsNegative(code) ? -Term(pot.Shift(code)) : Term(pot.Shift(code)));
                    break;
                case ApotFormat apot:
                    var (s0, s1) = apot.Terms(code);
                    Assert.True(s0 < 0 || s0 != s1);
                    Assert.InRange(Math.Max(s0, s1), -1, apot.MaxShift);
                    Int128 magnitude = Term(s0) + Term(s1);
                    Assert.Equal(format.Decode(code), apot.IsNegative(code) ? -magnitude : magnitude);
                    break;
                default:
                    Assert.IsType<UniformFormat>(format);
                    break;
            }
        }
    }
}
