using PotNet.Data;

namespace PotNet.Cli.Tests;

/// <summary>MNIST fetched once, through the CLI, into a data root of the test run's own.</summary>
public sealed class MnistFixture : IDisposable
{
    public MnistFixture()
    {
        Root = Directory.CreateTempSubdirectory("potnet-cli-data-").FullName;
        FetchResult = Cli.Run("data", "fetch", "mnist", "--dir", Root);
        Test = Dataset.Load(Path.Combine(Root, "mnist"), DatasetSplit.Test);
        Train = Dataset.Load(Path.Combine(Root, "mnist"), DatasetSplit.Train);
    }

    public string Root { get; }

    public (int Code, string Out, string Error) FetchResult { get; }

    public Dataset Train { get; }

    public Dataset Test { get; }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
