namespace PotNet.Training.Pruning;

/// <summary>The outcome of <see cref="PruningRun.Run"/>: the network it pruned is left fake-quantised and prepared.</summary>
/// <param name="Mask">The final mask (the union of every round's pruning).</param>
/// <param name="StartSparsity">The fraction of zero codes before pruning (weights that already quantise to zero).</param>
/// <param name="Rounds">Each round's report.</param>
/// <param name="History">The fine-tuning epochs, phases named <c>prune1</c>, <c>prune2</c>, ..., epochs counted over the rounds.</param>
public sealed record PruningResult(WeightMask Mask, double StartSparsity, IReadOnlyList<RoundReport> Rounds, IReadOnlyList<EpochReport> History)
{
    /// <summary>The final fraction of zero weight codes.</summary>
    public double Sparsity => Rounds[^1].AfterFineTuning;
}
