namespace PotNet.Training.Pruning;

/// <summary>
/// What one round of <see cref="PruningMethod.Log"/> pruned: per weighted layer and output row, how
/// many of the smallest nonzero levels went to zero, and the threshold that is: the quantiser's
/// boundary above the highest dropped level, at the row's scale, in real units.
/// </summary>
/// <param name="Levels">Per layer, per output row: levels dropped (0: none beyond weights already pruned).</param>
/// <param name="Thresholds">Per layer, per output row: weights with |w| at or below it were pruned; 0 where no level was dropped.</param>
/// <param name="LossIncrease">Per layer: the calibration loss increase of dropping d = 1, 2, ... levels in the whole layer alone.</param>
public sealed record LevelDrops(IReadOnlyList<int[]> Levels, IReadOnlyList<double[]> Thresholds, IReadOnlyList<double[]> LossIncrease)
{
    /// <summary>Per layer, the range of levels dropped over its rows, as text ("2" or "1-2").</summary>
    public IReadOnlyList<string> Summary => Levels.Select(rows => rows.Min() == rows.Max() ? $"{rows.Min()}" : $"{rows.Min()}-{rows.Max()}").ToArray();
}
