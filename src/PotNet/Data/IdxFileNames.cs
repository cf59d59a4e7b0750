namespace PotNet.Data;

/// <summary>The conventional MNIST file names, shared by every dataset in the IDX layout.</summary>
internal static class IdxFileNames
{
    /// <summary>All four files of a dataset directory.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Images(DatasetSplit.Train), Labels(DatasetSplit.Train), Images(DatasetSplit.Test), Labels(DatasetSplit.Test)];

    /// <summary>The images file of a split, without the optional <c>.gz</c>.</summary>
    public static string Images(DatasetSplit split) => $"{Prefix(split)}-images-idx3-ubyte";

    /// <summary>The labels file of a split, without the optional <c>.gz</c>.</summary>
    public static string Labels(DatasetSplit split) => $"{Prefix(split)}-labels-idx1-ubyte";

    /// <summary>The file's path in the directory, plain or with <c>.gz</c>; null when neither exists.</summary>
    public static string? Find(string directory, string name)
    {
        string plain = Path.Combine(directory, name);
        if (File.Exists(plain))
        {
            return plain;
        }
        string gzip = plain + ".gz";
        return File.Exists(gzip) ? gzip : null;
    }

    private static string Prefix(DatasetSplit split) => split switch
    {
        DatasetSplit.Train => "train",
        DatasetSplit.Test => "t10k",
        _ => throw new ArgumentOutOfRangeException(nameof(split), split, "not a dataset split"),
    };
}
