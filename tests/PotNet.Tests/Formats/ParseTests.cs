using PotNet.Formats;

namespace PotNet.Tests.Formats;

public class ParseTests
{
    [Fact]
    public void NamesRoundTripForAllFormats()
    {
        string[] kinds = ["pot", "uniform", "apot"];
        string[] expected = [.. kinds.SelectMany(k => Enumerable.Range(2, 7).Select(b => $"{k}{b}"))];
        Assert.Equal(expected, WeightFormat.All.Select(f => f.Name));
        foreach (WeightFormat format in WeightFormat.All)
        {
            Assert.Equal(format.Name, format.ToString());
            Assert.Same(format, WeightFormat.Parse(format.Name));
            Assert.Equal(format, WeightFormat.Parse(format.Name.ToUpperInvariant()));
            Assert.True(WeightFormat.TryParse(format.Name, out WeightFormat? parsed));
            Assert.Equal(format, parsed);
        }

        Assert.Equal(WeightFormat.Apot(4), WeightFormat.Parse("ApOt4"));
    }

    [Theory]
    [InlineData("pot9")]
    [InlineData("pot1")]
    [InlineData("float")]
    [InlineData("")]
    [InlineData("uniform")]
    [InlineData("apot0")]
    [InlineData(" pot4")]
    [InlineData("pot04")]
    public void BadNamesThrowWithTheNameAndTheValidForms(string name)
    {
        var error = Assert.Throws<PotNetException>(() => WeightFormat.Parse(name));
        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("pot<b>", error.Message, StringComparison.Ordinal);
        Assert.Contains("uniform<b>", error.Message, StringComparison.Ordinal);
        Assert.Contains("apot<b>", error.Message, StringComparison.Ordinal);
        Assert.False(WeightFormat.TryParse(name, out WeightFormat? format));
        Assert.Null(format);
    }

    [Fact]
    public void TryParseRejectsNull() => Assert.False(WeightFormat.TryParse(null, out _));
}
