using System.CommandLine;
using PotNet.Data;
using PotNet.Model;

namespace PotNet.Cli.Commands;

/// <summary>The options every verb that reads a dataset shares.</summary>
internal static class DataOptions
{
    public static Option<string> Data() => new("--data")
    {
        Description = $"A dataset name ({string.Join(", ", DataCatalog.Names)}) or a directory of IDX files.",
        Required = true,
    };

    public static Option<string?> DataDir() => new("--data-dir") { Description = "The data root for dataset names (default: $POTNET_DATA, else ~/.cache/potnet/data)." };

    /// <summary>Refuses a dataset whose images do not have the model's input shape.</summary>
    public static void CheckShape(QuantizedModel model, Dataset dataset)
    {
        if (model.Input != new Shape(1, dataset.Height, dataset.Width))
        {
            throw new PotNetException($"{dataset.Name}: images are 1x{dataset.Height}x{dataset.Width}, the model takes {model.Input}");
        }
    }
}
