using PotNet.Data;

namespace PotNet.Tests.Data;

public class DataCatalogTests
{
    [Fact]
    public void DefaultRootPrefersPotNetData()
    {
        var env = new Dictionary<string, string> { ["POTNET_DATA"] = "/data/potnet", ["XDG_CACHE_HOME"] = "/cache" };
        Assert.Equal("/data/potnet", DataCatalog.DefaultRoot(env.GetValueOrDefault));
    }

    [Fact]
    public void DefaultRootFallsBackToTheXdgCache()
    {
        var env = new Dictionary<string, string> { ["XDG_CACHE_HOME"] = "/cache" };
        Assert.Equal(Path.Combine("/cache", "potnet", "data"), DataCatalog.DefaultRoot(env.GetValueOrDefault));
    }

    [Fact]
    public void DefaultRootFallsBackToTheHomeCache()
    {
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal(Path.Combine(home, ".cache", "potnet", "data"), DataCatalog.DefaultRoot(_ => null));
    }

    [Fact]
    public void ResolvesAKnownNameUnderTheRoot()
    {
        using var root = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(root.Path, "fashion-mnist"));
        Assert.Equal(Path.Combine(root.Path, "fashion-mnist"), DataCatalog.Resolve("fashion-mnist", root.Path));
    }

    [Fact]
    public void AnUnfetchedKnownNameSaysToFetch()
    {
        using var root = new TempDirectory();
        var e = Assert.Throws<PotNetException>(() => DataCatalog.Resolve("mnist", root.Path));
        Assert.Contains("potnet data fetch mnist", e.Message, StringComparison.Ordinal);
        Assert.Contains(root.Path, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnythingElseIsADirectory()
    {
        using var dir = new TempDirectory();
        Assert.Equal(dir.Path, DataCatalog.Resolve(dir.Path, "/unused"));
        string missing = Path.Combine(dir.Path, "nope");
        var e = Assert.Throws<PotNetException>(() => DataCatalog.Resolve(missing, "/unused"));
        Assert.Contains(missing, e.Message, StringComparison.Ordinal);
    }
}
