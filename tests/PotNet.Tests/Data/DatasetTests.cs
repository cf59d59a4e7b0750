using PotNet.Data;

namespace PotNet.Tests.Data;

public class DatasetTests
{
    [Theory]
    [InlineData(DatasetSplit.Train, "train", false)]
    [InlineData(DatasetSplit.Test, "t10k", true)]
    public void LoadsASplitPlainOrGzip(DatasetSplit split, string prefix, bool gzip)
    {
        using var dir = new TempDirectory();
        byte[] images = IdxBytes.Images(3, 2, 4, seed: 5);
        string suffix = gzip ? ".gz" : "";
        dir.Write($"{prefix}-images-idx3-ubyte{suffix}", gzip ? IdxBytes.Gzip(images) : images);
        dir.Write($"{prefix}-labels-idx1-ubyte{suffix}", gzip ? IdxBytes.Gzip(IdxBytes.Labels(7, 0, 9)) : IdxBytes.Labels(7, 0, 9));

        Dataset set = Dataset.Load(dir.Path, split);

        Assert.Equal(3, set.Count);
        Assert.Equal(2, set.Height);
        Assert.Equal(4, set.Width);
        Assert.Equal(10, set.ClassCount);
        Assert.Equal([7, 0, 9], set.Labels.ToArray());
        Assert.Equal(images[(16 + 8)..(16 + 16)], set.Image(1).ToArray());
        Assert.EndsWith("/" + split.ToString().ToLowerInvariant(), set.Name, StringComparison.Ordinal);
    }

    [Fact]
    public void TakeKeepsTheFirstImages()
    {
        using var dir = WriteTrain(IdxBytes.Images(4, 3, 3), IdxBytes.Labels(1, 2, 3, 4));
        Dataset set = Dataset.Load(dir.Path, DatasetSplit.Train);

        Dataset first = set.Take(2);

        Assert.Equal(2, first.Count);
        Assert.Equal([1, 2], first.Labels.ToArray());
        Assert.Equal(2 * 9, first.Images.Length);
        Assert.Equal(set.Image(1).ToArray(), first.Image(1).ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => first.Image(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Take(5));
    }

    [Fact]
    public void LabelOutOfRangeNamesFileIndexAndValue()
    {
        using var dir = WriteTrain(IdxBytes.Images(3, 2, 2), IdxBytes.Labels(1, 10, 3));
        var e = Assert.Throws<PotNetException>(() => Dataset.Load(dir.Path, DatasetSplit.Train));
        Assert.Contains("train-labels-idx1-ubyte: label: label 10 at index 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CountMismatchIsRejected()
    {
        using var dir = WriteTrain(IdxBytes.Images(3, 2, 2), IdxBytes.Labels(1, 2));
        var e = Assert.Throws<PotNetException>(() => Dataset.Load(dir.Path, DatasetSplit.Train));
        Assert.Contains("train-labels-idx1-ubyte: count: 2 labels", e.Message, StringComparison.Ordinal);
        Assert.Contains("train-images-idx3-ubyte holds 3 images", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MissingFilesPointToTheFetchCommand()
    {
        using var dir = new TempDirectory();
        var e = Assert.Throws<PotNetException>(() => Dataset.Load(dir.Path, DatasetSplit.Test));
        Assert.Contains(dir.Path, e.Message, StringComparison.Ordinal);
        Assert.Contains("t10k-images-idx3-ubyte or t10k-images-idx3-ubyte.gz", e.Message, StringComparison.Ordinal);
        Assert.Contains("potnet data fetch", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedImagesNameTheirFile()
    {
        using var dir = WriteTrain(IdxBytes.Labels(1, 2), IdxBytes.Labels(1, 2));
        var e = Assert.Throws<PotNetException>(() => Dataset.Load(dir.Path, DatasetSplit.Train));
        Assert.Contains("train-images-idx3-ubyte: dimensions:", e.Message, StringComparison.Ordinal);
    }

    private static TempDirectory WriteTrain(byte[] images, byte[] labels)
    {
        var dir = new TempDirectory();
        dir.Write("train-images-idx3-ubyte", images);
        dir.Write("train-labels-idx1-ubyte", labels);
        return dir;
    }
}
