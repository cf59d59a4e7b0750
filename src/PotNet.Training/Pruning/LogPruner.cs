namespace PotNet.Training.Pruning;

/// <summary>
/// Pruning adapted to logarithmic quantisation and to the accelerator that skips zero units: each
/// unit's cost is the whole network's calibration loss increase estimated for zeroing its
/// PoT-quantised weights (<see cref="ColumnSensitivity"/>), its gain the energy it saves: the products
/// skipped per inference as a fraction of the network's, plus the zero codes it adds as a fraction of
/// the network's weights (so a target weight sparsity is still reached, and fc units, which save
/// little computation, are not free). Units go in order of cost over gain until the target count of
/// zero codes is reached, so at a given sparsity conv units are pruned where they are cheap in loss.
/// </summary>
/// <remarks>
/// The estimate is of each unit alone, so one cut of many units misjudges what they do together. The
/// cut is made in <see cref="Steps"/> equal steps, each estimating again on the network with the
/// units pruned so far zeroed (Optimal Brain Damage done iteratively); the last step meets the target.
/// </remarks>
internal static class LogPruner
{
    /// <summary>Estimate-and-cut steps per call.</summary>
    public const int Steps = 4;

    /// <summary>
    /// Restricts <paramref name="mask"/> so that <paramref name="network"/> has about
    /// <paramref name="targetZeros"/> zero codes, zeroing the pruned weights between steps; returns the
    /// sum of the estimated loss increases of the units pruned, each as estimated when it was taken.
    /// </summary>
    /// <exception cref="PotNetException">The target exceeds the number of weights.</exception>
    public static double Prune(QatNetwork network, WeightMask mask, IReadOnlyList<Columns> columns, long targetZeros, Calibration calibration)
    {
        network.Prepare();
        double products = columns.Sum(c => (double)c.Products), weights = columns.Sum(c => (double)c.OutChannels * c.FanIn);
        long start = ZeroCodes(mask, columns);
        double total = 0;
        for (int step = 1; step <= Steps; step++)
        {
            long target = step == Steps ? targetZeros : start + ((targetZeros - start) * step / Steps);
            long[][] nonzero = ColumnChoice.Nonzero(mask, columns);
            double[][] increase = ColumnSensitivity.Estimate(network, columns, calibration);
            double[][] key = columns.Select((c, l) => nonzero[l].Select((count, unit) =>
                increase[l][unit] / ((c.ProductsOf(unit) / products) + (count / weights))).ToArray()).ToArray();
            bool[][] taken = ColumnChoice.Prune(mask, columns, nonzero, key, Math.Max(target, start)).Taken;
            total += increase.Select((layer, l) => layer.Where((_, unit) => taken[l][unit]).Sum()).Sum();
            mask.Apply();
            network.Prepare();
        }

        return total;
    }

    private static long ZeroCodes(WeightMask mask, IReadOnlyList<Columns> columns) =>
        columns.Sum(c => (long)c.OutChannels * c.FanIn) - ColumnChoice.Nonzero(mask, columns).Sum(n => n.Sum());
}
