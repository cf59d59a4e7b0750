using System.Security.Cryptography;
using PotNet.Data;

namespace PotNet.Cli.Pipeline;

/// <summary>
/// An experiment's dataset, loaded only when a step needs it (a rerun that finds every step cached
/// never reads it), and named in cache keys by its files' content.
/// </summary>
internal sealed class ExperimentData
{
    private readonly Lazy<string> _digest;
    private readonly Lazy<Dataset> _train, _test;

    public ExperimentData(string directory)
    {
        Directory = directory;
        _digest = new(() => Digest(directory));
        _train = new(() => Dataset.Load(directory, DatasetSplit.Train));
        _test = new(() => Dataset.Load(directory, DatasetSplit.Test));
    }

    /// <summary>The directory of IDX files.</summary>
    public string Directory { get; }

    /// <summary>The SHA-256 of the IDX files' names and contents: another copy of the same files hits the same cache.</summary>
    public string Digest() => _digest.Value;

    /// <summary>The training split.</summary>
    public Dataset Train => _train.Value;

    /// <summary>The test split.</summary>
    public Dataset Test => _test.Value;

    private static string Digest(string directory)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (string file in System.IO.Directory.GetFiles(directory).Order(StringComparer.Ordinal))
        {
            hash.AppendData(System.Text.Encoding.UTF8.GetBytes(Path.GetFileName(file)));
            using FileStream stream = File.OpenRead(file);
            hash.AppendData(SHA256.HashData(stream));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
