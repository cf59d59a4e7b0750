using PotNet.Data;
using PotNet.Engines;
using PotNet.Model;

namespace PotNet.Training;

/// <summary>
/// A trained network's export and the proof that it computes what the fake-quantised network computes:
/// both classify the whole test set, and their predictions are compared image by image.
/// </summary>
/// <param name="Model">The exported model, with provenance (settings, epochs, seed, accuracies).</param>
/// <param name="FakeQuantized">The fake-quantised TorchSharp network on the test set (float64).</param>
/// <param name="Reference">The exported model on the test set, with the ReferenceEngine.</param>
/// <param name="Agreement">Fraction of test images on which the two predict the same class.</param>
public sealed record TrainedModel(QuantizedModel Model, Evaluation FakeQuantized, Evaluation Reference, double Agreement)
{
    /// <summary>
    /// Exports <paramref name="network"/> (fake-quantised, exponents prepared), evaluates both on
    /// <paramref name="test"/> and records the settings, <paramref name="history"/> and accuracies in the provenance.
    /// </summary>
    public static TrainedModel Export(QatNetwork network, TrainingOptions options, IReadOnlyList<EpochReport> history, Dataset test, string dataset, IReadOnlyDictionary<string, string>? extraSettings = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(test);
        if (!network.Quantized) throw new InvalidOperationException("export needs the fake-quantised network");
        QuantizedModel model = network.Export(new Provenance());
        Evaluation fake = Trainer.Evaluate(network, test);
        var engine = new ReferenceEngine(model);
        Evaluation reference = Evaluation.Run(test, image => engine.Classify(image.Span));
        int same = fake.Predictions.Zip(reference.Predictions).Count(p => p.First == p.Second);

        var settings = options.Describe();
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string>()) settings[key] = value;
        var accuracy = new SortedDictionary<string, double>(StringComparer.Ordinal)
        {
            [$"fake-quant/{test.Name}"] = fake.Accuracy,
            [$"reference/{test.Name}"] = reference.Accuracy,
        };
        if (history.LastOrDefault(r => r.Phase == "float") is { TestAccuracy: double lastFloat }) accuracy[$"float/{test.Name}"] = lastFloat;
        var provenance = new Provenance
        {
            CreatedBy = $"potnet {typeof(TrainedModel).Assembly.GetName().Version}",
            Created = DateTimeOffset.UtcNow,
            Source = "potnet train (quantisation-aware training, TorchSharp)",
            Dataset = dataset,
            Settings = settings,
            Accuracy = accuracy,
        };
        return new TrainedModel(model.WithProvenance(provenance), fake, reference, (double)same / test.Count);
    }
}
