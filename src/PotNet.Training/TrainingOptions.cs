using PotNet.Formats;

namespace PotNet.Training;

/// <summary>What a training run does: the network, the formats, the schedule and the seed.</summary>
public sealed record TrainingOptions
{
    /// <summary>The architecture's name (<see cref="Architectures.Names"/>), for provenance and checkpoints.</summary>
    public required string Model { get; init; }

    /// <summary>The weight format of every weighted layer; null trains a float network only.</summary>
    public WeightFormat? Format { get; init; }

    /// <summary>One scale exponent per output channel in hidden layers (the logits layer keeps one).</summary>
    public bool PerChannel { get; init; }

    /// <summary>How scaled weights are rounded to levels.</summary>
    public Rounding Rounding { get; init; } = Rounding.Nearest;

    /// <summary>Float pre-training epochs.</summary>
    public int FloatEpochs { get; init; } = 10;

    /// <summary>Quantisation-aware epochs after the float ones (ignored without a <see cref="Format"/>).</summary>
    public int QatEpochs { get; init; } = 5;

    /// <summary>Seeds the initial weights, the shuffling and the augmentation.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Images per optimiser step.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary>Adam's learning rate at the start of the float phase (cosine decay to 0 over the phase).</summary>
    public double FloatLearningRate { get; init; } = 1e-3;

    /// <summary>Adam's learning rate at the start of the quantisation-aware phase (cosine decay to 0).</summary>
    public double QatLearningRate { get; init; } = 2e-4;

    /// <summary>Largest random shift, in pixels, of training images (0: no augmentation).</summary>
    public int Shift { get; init; } = 2;

    /// <summary>Training steps between re-choosing the weight scale exponents in the quantisation-aware phase.</summary>
    public int ScaleInterval { get; init; } = 10;

    /// <summary>Use only the first N training images (null: all), for quick runs and tests.</summary>
    public int? TrainImages { get; init; }

    /// <summary>Epochs in all: float, then quantisation-aware.</summary>
    public int TotalEpochs => FloatEpochs + (Format is null ? 0 : QatEpochs);

    /// <summary>The settings as text, for provenance and for checking that a checkpoint matches.</summary>
    public SortedDictionary<string, string> Describe() => new(StringComparer.Ordinal)
    {
        ["model"] = Model,
        ["weights"] = Format?.Name ?? "float",
        ["granularity"] = PerChannel ? "channel" : "layer",
        ["rounding"] = Rounding.Name(),
        ["float_epochs"] = Invariant(FloatEpochs),
        ["qat_epochs"] = Invariant(Format is null ? 0 : QatEpochs),
        ["seed"] = Invariant(Seed),
        ["batch_size"] = Invariant(BatchSize),
        ["float_lr"] = Invariant(FloatLearningRate),
        ["qat_lr"] = Invariant(QatLearningRate),
        ["shift"] = Invariant(Shift),
        ["scale_interval"] = Invariant(ScaleInterval),
        ["train_images"] = TrainImages is int n ? Invariant(n) : "all",
    };

    /// <summary>The options <paramref name="settings"/> (as <see cref="Describe"/> wrote them) describe; <paramref name="source"/> names them in errors.</summary>
    /// <exception cref="PotNetException">A setting is missing or malformed.</exception>
    public static TrainingOptions FromSettings(IReadOnlyDictionary<string, string> settings, string source)
    {
        ArgumentNullException.ThrowIfNull(settings);
        string Get(string key) => settings.TryGetValue(key, out string? value) ? value : throw new PotNetException($"{source}: settings.{key}: missing");
        int Int(string key) => int.TryParse(Get(key), System.Globalization.CultureInfo.InvariantCulture, out int v) ? v : throw new PotNetException($"{source}: settings.{key}: '{Get(key)}' is not an integer");
        double Real(string key) => double.TryParse(Get(key), System.Globalization.CultureInfo.InvariantCulture, out double v) ? v : throw new PotNetException($"{source}: settings.{key}: '{Get(key)}' is not a number");
        return new TrainingOptions
        {
            Model = Get("model"),
            Format = Get("weights") == "float" ? null : WeightFormat.Parse(Get("weights")),
            PerChannel = Get("granularity") == "channel",
            Rounding = RoundingNames.Parse(Get("rounding")) ?? throw new PotNetException($"{source}: settings.rounding: '{Get("rounding")}' is not nearest or log"),
            FloatEpochs = Int("float_epochs"),
            QatEpochs = Int("qat_epochs"),
            Seed = Int("seed"),
            BatchSize = Int("batch_size"),
            FloatLearningRate = Real("float_lr"),
            QatLearningRate = Real("qat_lr"),
            Shift = Int("shift"),
            ScaleInterval = Int("scale_interval"),
            TrainImages = Get("train_images") == "all" ? null : Int("train_images"),
        };
    }

    private static string Invariant(IFormattable value) => value.ToString(null, System.Globalization.CultureInfo.InvariantCulture);
}
