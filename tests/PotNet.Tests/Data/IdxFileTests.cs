using PotNet.Data;

namespace PotNet.Tests.Data;

public class IdxFileTests
{
    [Theory]
    [InlineData(false, "images-idx3-ubyte")]
    [InlineData(true, "images-idx3-ubyte.gz")]
    [InlineData(true, "gzip-without-its-extension")]
    public void RoundTrips(bool gzip, string name)
    {
        using var dir = new TempDirectory();
        byte[] pixels = [.. Enumerable.Range(0, 2 * 3 * 4).Select(i => (byte)(i * 7))];
        byte[] file = IdxBytes.Create([2, 3, 4], pixels);
        string path = dir.Write(name, gzip ? IdxBytes.Gzip(file) : file);

        IdxFile idx = IdxFile.Read(path, 3);

        Assert.Equal([2, 3, 4], idx.Dimensions);
        Assert.Equal(pixels, idx.Data.ToArray());
    }

    [Fact]
    public void MissingFileIsNamed()
    {
        using var dir = new TempDirectory();
        AssertRejected(Path.Combine(dir.Path, "nothing-here"), 1, "file", "not found");
    }

    [Fact]
    public void TruncatedDataGivesExpectedAndFoundLengths()
    {
        using var dir = new TempDirectory();
        byte[] file = IdxBytes.Images(2, 3, 4);
        string path = dir.Write("short", file[..^5]);
        AssertRejected(path, 3, "length", "truncated: expected 24 bytes of data, found 19");
    }

    [Fact]
    public void TrailingBytesAreRejected()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("long", [.. IdxBytes.Labels(1, 2, 3), 9, 9]);
        AssertRejected(path, 1, "length", "trailing bytes: expected 3 bytes of data, found 5");
    }

    [Fact]
    public void WrongMagicIsRejected()
    {
        using var dir = new TempDirectory();
        byte[] file = IdxBytes.Labels(1, 2, 3);
        file[1] = 0x42;
        AssertRejected(dir.Write("magic", file), 1, "magic", "00 42");
    }

    [Fact]
    public void TooShortForAMagicIsRejected()
    {
        using var dir = new TempDirectory();
        AssertRejected(dir.Write("tiny", [0, 0]), 1, "magic", "truncated");
    }

    [Fact]
    public void UnsupportedTypeIsNamed()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("floats", IdxBytes.Create([1], [0, 0, 0, 0], type: 0x0D));
        AssertRejected(path, 1, "type", "0x0d (32-bit float)");
    }

    [Fact]
    public void WrongDimensionCountIsRejected()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("labels-as-images", IdxBytes.Labels(1, 2, 3));
        AssertRejected(path, 3, "dimensions", "expected 3 dimensions, found 1");
    }

    [Fact]
    public void ZeroSizeDimensionIsRejected()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("empty", IdxBytes.Create([4, 0, 28], []));
        AssertRejected(path, 3, "dimensions", "dimension 1 is 0");
    }

    [Fact]
    public void HugeDimensionsAreRejectedBeforeAllocating()
    {
        using var dir = new TempDirectory();
        string path = dir.Write("huge", IdxBytes.Create([int.MaxValue, int.MaxValue, 2], [1, 2, 3]));
        AssertRejected(path, 3, "dimensions", "more than");
    }

    [Fact]
    public void HugeClaimInASmallGzipIsTruncatedNotAllocated()
    {
        using var dir = new TempDirectory();
        // 1 GB claimed by a gzip file of a few dozen bytes: must fail without allocating it.
        string path = dir.Write("huge.gz", IdxBytes.Gzip(IdxBytes.Create([1000, 1000, 1000], [1, 2, 3])));
        long before = GC.GetAllocatedBytesForCurrentThread();
        AssertRejected(path, 3, "length", "truncated: expected 1000000000 bytes of data, found 3");
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 10_000_000);
    }

    [Theory]
    [InlineData(-3, "truncated: expected 10 bytes of data, found 7")]
    [InlineData(4, "trailing bytes: expected 10 bytes of data, found 14")]
    public void GzipOfTheWrongLengthIsRejected(int delta, string problem)
    {
        using var dir = new TempDirectory();
        byte[] file = IdxBytes.Labels([.. Enumerable.Range(0, 10).Select(i => (byte)i)]);
        byte[] wrong = delta < 0 ? file[..^-delta] : [.. file, .. new byte[delta]];
        AssertRejected(dir.Write("labels.gz", IdxBytes.Gzip(wrong)), 1, "length", problem);
    }

    [Fact]
    public void CorruptGzipIsRejected()
    {
        using var dir = new TempDirectory();
        byte[] gzip = IdxBytes.Gzip(IdxBytes.Images(3, 5, 5));
        for (int i = 10; i < gzip.Length - 8; i++)
        {
            gzip[i] = 0xff;
        }
        AssertRejected(dir.Write("broken.gz", gzip), 3, "gzip", "corrupt");
    }

    private static void AssertRejected(string path, int dimensions, string field, string problem)
    {
        var e = Assert.Throws<PotNetException>(() => IdxFile.Read(path, dimensions));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains($": {field}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }
}
