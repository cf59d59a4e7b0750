using System.Globalization;

namespace PotNet.Training.Pruning;

/// <summary>What a pruning run does: the method, the final sparsity and the schedule of rounds.</summary>
public sealed record PruningOptions
{
    /// <summary>How weights are chosen.</summary>
    public required PruningMethod Method { get; init; }

    /// <summary>The target fraction of zero weight codes over all weighted layers, in [0, 1).</summary>
    public required double Sparsity { get; init; }

    /// <summary>Rounds of pruning then fine-tuning; the target rises linearly from the starting sparsity to <see cref="Sparsity"/>.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Quantisation-aware epochs after each round's pruning, with the mask fixed (0: prune only).</summary>
    public int EpochsPerRound { get; init; } = 1;

    /// <summary>Training images (the first ones, unshifted) on which <see cref="PruningMethod.Log"/> measures each layer's loss increase.</summary>
    public int CalibrationImages { get; init; } = 1024;

    /// <summary>Checks the values.</summary>
    /// <exception cref="PotNetException">A value is out of range.</exception>
    public void Validate()
    {
        if (!(Sparsity >= 0 && Sparsity < 1)) throw new PotNetException($"sparsity: {Sparsity.ToString(CultureInfo.InvariantCulture)} is not in [0, 1)");
        if (Rounds < 1) throw new PotNetException("rounds: must be at least 1");
        if (EpochsPerRound < 0) throw new PotNetException("epochs per round: must not be negative");
        if (CalibrationImages < 1) throw new PotNetException("calibration images: must be at least 1");
    }

    /// <summary>The target sparsity after round <paramref name="round"/> (1-based), starting from <paramref name="start"/>.</summary>
    public double Target(int round, double start) =>
        Sparsity <= start ? start : start + ((Sparsity - start) * round / Rounds);

    /// <summary>The settings as text, for provenance (keys prefixed <c>prune.</c>).</summary>
    public SortedDictionary<string, string> Describe() => new(StringComparer.Ordinal)
    {
        ["prune.method"] = Method.Name(),
        ["prune.sparsity"] = Sparsity.ToString(CultureInfo.InvariantCulture),
        ["prune.rounds"] = Rounds.ToString(CultureInfo.InvariantCulture),
        ["prune.epochs_per_round"] = EpochsPerRound.ToString(CultureInfo.InvariantCulture),
        ["prune.calibration_images"] = CalibrationImages.ToString(CultureInfo.InvariantCulture),
    };
}
