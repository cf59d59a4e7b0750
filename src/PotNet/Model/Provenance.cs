namespace PotNet.Model;

/// <summary>
/// Where a model came from: the tool, the source network, the dataset, the settings that made it
/// and the accuracies measured on it. Carried in the .potnet file; never affects the arithmetic.
/// </summary>
public sealed record Provenance
{
    /// <summary>The tool and version that wrote the model.</summary>
    public string CreatedBy { get; init; } = "potnet";

    /// <summary>When the model was made (UTC), if known.</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary>What the model was made from: a training run, an ONNX file, a test.</summary>
    public string? Source { get; init; }

    /// <summary>The dataset it was trained or calibrated on.</summary>
    public string? Dataset { get; init; }

    /// <summary>Settings as key/value text: model, formats, epochs, seed, calibration images.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Accuracies measured on the model, by what measured them (e.g. "reference/mnist-test").</summary>
    public IReadOnlyDictionary<string, double> Accuracy { get; init; } = new SortedDictionary<string, double>(StringComparer.Ordinal);
}
