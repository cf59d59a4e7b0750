namespace PotNet.Training.Pruning;

/// <summary>What one round of pruning and fine-tuning did.</summary>
/// <param name="Round">1-based.</param>
/// <param name="Target">The round's target fraction of zero weight codes.</param>
/// <param name="AfterPruning">The fraction of zero codes right after pruning.</param>
/// <param name="AfterFineTuning">The fraction after the round's fine-tuning (weights that drift to or from the zero level move it).</param>
/// <param name="TestAccuracy">Fake-quantised test accuracy after the round (without fine-tuning, measured after the last round only).</param>
/// <param name="Layers">Each layer's zero codes and products kept after the round.</param>
/// <param name="EstimatedLossIncrease">For <see cref="PruningMethod.Log"/>: the sum of the estimated calibration loss increases of the columns the round pruned; null otherwise.</param>
/// <param name="Threshold">For <see cref="PruningMethod.Magnitude"/>: the global column-magnitude threshold (0: nothing pruned); null otherwise.</param>
public sealed record RoundReport(
    int Round, double Target, double AfterPruning, double AfterFineTuning, double? TestAccuracy,
    IReadOnlyList<LayerSparsity> Layers, double? EstimatedLossIncrease, double? Threshold)
{
    /// <summary>The products kept over the dense network's, after the round.</summary>
    public double ProductsKept => LayerSparsity.ProductsKeptTotal(Layers);
}
