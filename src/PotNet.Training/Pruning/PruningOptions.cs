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

    /// <summary>
    /// Adam's peak learning rate in each round's fine-tuning (a cosine decay over the round); null: the
    /// network's own quantisation-aware rate (<see cref="TrainingOptions.QatLearningRate"/>).
    /// </summary>
    public double? LearningRate { get; init; }

    /// <summary>Training images (the first ones, unshifted) on which <see cref="PruningMethod.Log"/> estimates each column's loss increase.</summary>
    public int CalibrationImages { get; init; } = 1024;

    /// <summary>The accelerator's default PEs: output channels per PE group, whose weight columns are pruned whole.</summary>
    public const int DefaultGroup = 8;

    /// <summary>
    /// P: output channels per PE group (<see cref="Columns"/>); both methods prune whole columns of P
    /// weights, the structure the accelerator skips. 1: single weights (unstructured).
    /// </summary>
    public int Group { get; init; } = DefaultGroup;

    /// <summary>The accelerator's default lanes per PE.</summary>
    public const int DefaultLanes = 8;

    /// <summary>
    /// L: lanes per PE. Dense layers and the logits are pruned in blocks of L consecutive fan-in indices
    /// of a group, since their L lanes share one tap index; hidden convolutions in columns (<see cref="Columns"/>).
    /// </summary>
    public int Lanes { get; init; } = DefaultLanes;

    /// <summary>Checks the values.</summary>
    /// <exception cref="PotNetException">A value is out of range.</exception>
    public void Validate()
    {
        if (!(Sparsity >= 0 && Sparsity < 1)) throw new PotNetException($"sparsity: {Sparsity.ToString(CultureInfo.InvariantCulture)} is not in [0, 1)");
        if (Rounds < 1) throw new PotNetException("rounds: must be at least 1");
        if (EpochsPerRound < 0) throw new PotNetException("epochs per round: must not be negative");
        if (Group < 1) throw new PotNetException($"group: {Group.ToString(CultureInfo.InvariantCulture)} channels per PE group; must be at least 1");
        if (Lanes < 1) throw new PotNetException($"lanes: {Lanes.ToString(CultureInfo.InvariantCulture)} lanes per PE; must be at least 1");
        if (LearningRate is double lr && !(lr > 0 && lr < 1)) throw new PotNetException($"lr: {lr.ToString(CultureInfo.InvariantCulture)} is not in (0, 1)");
        if (CalibrationImages < 1) throw new PotNetException("calibration images: must be at least 1");
    }

    /// <summary>The target sparsity after round <paramref name="round"/> (1-based), starting from <paramref name="start"/>.</summary>
    public double Target(int round, double start) =>
        Sparsity <= start ? start : start + ((Sparsity - start) * round / Rounds);

    /// <summary>The settings as text, for provenance (keys prefixed <c>prune.</c>).</summary>
    public SortedDictionary<string, string> Describe()
    {
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["prune.method"] = Method.Name(),
            ["prune.sparsity"] = Sparsity.ToString(CultureInfo.InvariantCulture),
            ["prune.group"] = Group.ToString(CultureInfo.InvariantCulture),
            ["prune.lanes"] = Lanes.ToString(CultureInfo.InvariantCulture),
            ["prune.rounds"] = Rounds.ToString(CultureInfo.InvariantCulture),
            ["prune.epochs_per_round"] = EpochsPerRound.ToString(CultureInfo.InvariantCulture),
            ["prune.calibration_images"] = CalibrationImages.ToString(CultureInfo.InvariantCulture),
        };
        if (LearningRate is double lr) settings["prune.learning_rate"] = lr.ToString(CultureInfo.InvariantCulture);
        return settings;
    }
}
