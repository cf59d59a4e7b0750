using PotNet.Data;

namespace PotNet.Onnx.Tests;

/// <summary>MNIST fetched once into a data root of the test run's own.</summary>
public sealed class MnistFixture : IDisposable
{
    public MnistFixture()
    {
        Root = Directory.CreateTempSubdirectory("potnet-onnx-data-").FullName;
        string directory = DataCatalog.Fetch("mnist", Root);
        Train = Dataset.Load(directory, DatasetSplit.Train);
        Test = Dataset.Load(directory, DatasetSplit.Test);
    }

    public string Root { get; }

    public Dataset Train { get; }

    public Dataset Test { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}

[CollectionDefinition(Name)]
public sealed class MnistGroup : ICollectionFixture<MnistFixture>
{
    public const string Name = "mnist";
}
