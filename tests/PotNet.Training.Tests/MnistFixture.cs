using PotNet.Data;

namespace PotNet.Training.Tests;

/// <summary>MNIST fetched once for the test run, into a data root of its own.</summary>
public sealed class MnistFixture : IDisposable
{
    private readonly string _root = System.IO.Directory.CreateTempSubdirectory("potnet-training-data-").FullName;

    public MnistFixture()
    {
        string directory = DataCatalog.Fetch("mnist", _root);
        Directory = directory;
        Train = Dataset.Load(directory, DatasetSplit.Train);
        Test = Dataset.Load(directory, DatasetSplit.Test).Take(1000);
    }

    /// <summary>The IDX files' directory.</summary>
    public string Directory { get; }

    public Dataset Train { get; }

    /// <summary>The first 1000 test images.</summary>
    public Dataset Test { get; }

    public void Dispose() => System.IO.Directory.Delete(_root, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class MnistGroup : ICollectionFixture<MnistFixture>
{
    public const string Name = "mnist";
}
