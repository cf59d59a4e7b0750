using TorchSharp;
using static TorchSharp.torch;

namespace PotNet.Training.Pruning;

/// <summary>
/// One layer's weights as levels of its quantiser at the scales in use, by output row: what dropping
/// the d smallest nonzero levels of a row would zero, cost and keep. Weights already pruned count as zeros.
/// </summary>
internal sealed class LayerLevels : IDisposable
{
    private readonly QatLayer _layer;
    private readonly Tensor _level;
    private readonly Tensor _pruned;
    private readonly long[][] _zeros;

    public LayerLevels(QatLayer layer, Tensor keep)
    {
        _layer = layer;
        Rows = layer.Geometry.OutChannels;
        using var scope = NewDisposeScope();
        _level = layer.Quantizer!.LevelIndex(layer.Weight, layer.ScaleExponents).view(Rows, -1).MoveToOuterDisposeScope();
        _pruned = keep.eq(Scalars.Zero).view(Rows, -1).MoveToOuterDisposeScope();
        MaxDrop = layer.Quantizer.Table.Magnitudes.Count - 2;
        _zeros = Enumerable.Range(0, MaxDrop + 1).Select(ZerosByRow).ToArray();
        Weights = _level.numel();
    }

    private long[] ZerosByRow(int drop)
    {
        using Scalar level = ((long)drop).ToScalar();
        return _level.le(level).logical_or(_pruned).sum(1).data<long>().ToArray();
    }

    /// <summary>Output rows.</summary>
    public int Rows { get; }

    /// <summary>The most levels a row may drop: all but the largest.</summary>
    public int MaxDrop { get; }

    /// <summary>All the layer's weights.</summary>
    public long Weights { get; }

    /// <summary>Zeros in the layer if every row dropped <paramref name="drop"/> levels.</summary>
    public long Zeros(int drop) => _zeros[drop].Sum();

    /// <summary>Every row dropping <paramref name="drop"/> levels.</summary>
    public int[] Uniform(int drop) => Enumerable.Repeat(drop, Rows).ToArray();

    /// <summary>The weights kept when row r drops <paramref name="drops"/>[r] levels, in the weight's shape (weights already pruned stay pruned).</summary>
    public Tensor KeepWith(int[] drops)
    {
        using var scope = NewDisposeScope();
        Tensor drop = tensor(drops.Select(d => (long)d).ToArray()).view(Rows, 1);
        Tensor keep = _level.gt(drop).logical_or(drop.eq(Scalars.Zero)).logical_and(_pruned.logical_not());
        return keep.view(_layer.Weight.shape).MoveToOuterDisposeScope();
    }

    /// <summary>The calibration loss with this layer's rows dropping <paramref name="drops"/> levels (other layers as they are); the weights are restored.</summary>
    public double LossWith(int[] drops, QatNetwork network, Calibration calibration)
    {
        using var scope = NewDisposeScope();
        Tensor saved = _layer.Weight.detach().clone();
        try
        {
            using (no_grad()) _layer.Weight.mul_(KeepWith(drops).to_type(_layer.Weight.dtype));
            return calibration.Loss(network);
        }
        finally
        {
            using (no_grad()) _layer.Weight.copy_(saved);
        }
    }

    /// <summary>Row <paramref name="row"/>'s threshold for dropping <paramref name="drop"/> levels: the boundary above level <paramref name="drop"/> at the row's scale, real units; 0 for none.</summary>
    public double Threshold(int row, int drop)
    {
        if (drop == 0) return 0;
        IReadOnlyList<int> g = _layer.ScaleExponents;
        return Math.ScaleB(_layer.Quantizer!.Table.Boundaries[drop], -g[g.Count == 1 ? 0 : row]);
    }

    /// <summary>
    /// The rows that zero more weights when going from <paramref name="from"/> to <paramref name="to"/>
    /// dropped levels, with how many more, ordered by the squared magnitude they lose per weight zeroed.
    /// </summary>
    public IEnumerable<(int Row, long Gain)> RowsByDamage(int from, int to)
    {
        double[] damage;
        using (var scope = NewDisposeScope())
        {
            using Scalar above = ((long)from).ToScalar(), upTo = ((long)to).ToScalar();
            Tensor lost = _level.gt(above).logical_and(_level.le(upTo)).logical_and(_pruned.logical_not());
            Tensor w = _layer.Weight.detach().view(Rows, -1).to_type(ScalarType.Float64);
            damage = w.mul(w).mul(lost.to_type(ScalarType.Float64)).sum(1).data<double>().ToArray();
        }

        return Enumerable.Range(0, Rows)
            .Select(row => (Row: row, Gain: _zeros[to][row] - _zeros[from][row]))
            .Where(r => r.Gain > 0)
            .OrderBy(r => damage[r.Row] / r.Gain)
            .ThenBy(r => r.Row)
            .ToArray();
    }

    public void Dispose()
    {
        _level.Dispose();
        _pruned.Dispose();
    }
}
