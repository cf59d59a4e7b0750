namespace PotNet.Training.Pruning;

/// <summary>What one round of pruning and fine-tuning did.</summary>
/// <param name="Round">1-based.</param>
/// <param name="Target">The round's target fraction of zero weight codes.</param>
/// <param name="AfterPruning">The fraction of zero codes right after pruning.</param>
/// <param name="AfterFineTuning">The fraction after the round's fine-tuning (weights that drift to or from the zero level move it).</param>
/// <param name="TestAccuracy">Fake-quantised test accuracy after the round (without fine-tuning, measured after the last round only).</param>
/// <param name="Layers">Each layer's zero codes after the round.</param>
/// <param name="LevelDrops">For <see cref="PruningMethod.Log"/>: the levels dropped per layer and row; null otherwise.</param>
/// <param name="Threshold">For <see cref="PruningMethod.Magnitude"/>: the global |w| threshold (0: nothing pruned); null otherwise.</param>
public sealed record RoundReport(
    int Round, double Target, double AfterPruning, double AfterFineTuning, double? TestAccuracy,
    IReadOnlyList<LayerSparsity> Layers, LevelDrops? LevelDrops, double? Threshold);
