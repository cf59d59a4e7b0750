namespace PotNet.Training.Pruning;

/// <summary>
/// Pruning adapted to logarithmic quantisation and to the accelerator that skips zero columns: each
/// column's cost is the whole network's calibration loss increase estimated for zeroing its
/// PoT-quantised weights (<see cref="ColumnSensitivity"/>), its gain the energy it saves: the products
/// skipped per inference as a fraction of the network's, plus the zero codes it adds as a fraction of
/// the network's weights (so a target weight sparsity is still reached, and fc columns, which save
/// little computation, are not free). Columns go in order of cost over gain until the target count of
/// zero codes is reached, so at a given sparsity conv columns are pruned where they are cheap in loss.
/// </summary>
internal static class LogPruner
{
    /// <summary>
    /// Restricts <paramref name="mask"/> so that <paramref name="network"/> has about
    /// <paramref name="targetZeros"/> zero codes; returns the sum of the estimated loss increases of the
    /// columns pruned. The pruned weights are not yet zeroed.
    /// </summary>
    /// <exception cref="PotNetException">The target exceeds the number of weights.</exception>
    public static double Prune(QatNetwork network, WeightMask mask, IReadOnlyList<Columns> columns, long targetZeros, Calibration calibration)
    {
        network.Prepare();
        long[][] nonzero = ColumnChoice.Nonzero(mask, columns);
        double[][] increase = ColumnSensitivity.Estimate(network, columns, calibration);
        double products = columns.Sum(c => (double)c.Products), weights = columns.Sum(c => (double)c.OutChannels * c.FanIn);
        double[][] key = columns.Select((c, l) => nonzero[l].Select((count, column) =>
            increase[l][column] / ((c.ProductsOf(column / c.FanIn) / products) + (count / weights))).ToArray()).ToArray();
        bool[][] taken = ColumnChoice.Prune(mask, columns, nonzero, key, targetZeros).Taken;
        network.Prepare();
        return increase.Select((layer, l) => layer.Where((_, column) => taken[l][column]).Sum()).Sum();
    }
}
