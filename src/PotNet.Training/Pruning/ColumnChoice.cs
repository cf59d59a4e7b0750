using static TorchSharp.torch;

namespace PotNet.Training.Pruning;

/// <summary>
/// The choice both pruning methods make in the accelerator's column structure (<see cref="Columns"/>):
/// columns whose codes are all zero already count as pruned and join the mask; of the others, those
/// with the smallest key are pruned, whole, until the zero codes reach the target (met to within one
/// column; columns tied with the last one taken are taken too, so that with P = 1 a magnitude key is
/// exactly one threshold on |w|).
/// </summary>
internal static class ColumnChoice
{
    /// <summary>Per layer, per unit (row-major [Groups, Units]): the weights of the unit not at the zero level.</summary>
    public static long[][] Nonzero(WeightMask mask, IReadOnlyList<Columns> columns)
    {
        using var scope = NewDisposeScope();
        return mask.Layers.Select((layer, i) =>
        {
            Tensor nonzero = layer.Quantizer!.LevelIndex(layer.Weight, layer.ScaleExponents).gt(Scalars.Zero).to_type(ScalarType.Int64);
            return columns[i].Sum(nonzero).contiguous().data<long>().ToArray();
        }).ToArray();
    }

    /// <summary>
    /// Prunes, in <paramref name="mask"/>, the all-zero columns and the columns of least
    /// <paramref name="key"/> until the network has <paramref name="targetZeros"/> zero codes; returns
    /// the key of the last column taken (null when none was needed) and, per layer and column, whether
    /// it was taken for its key (all-zero columns are not).
    /// </summary>
    /// <exception cref="PotNetException">The target exceeds the number of weights.</exception>
    public static (double? Cut, bool[][] Taken) Prune(WeightMask mask, IReadOnlyList<Columns> columns, long[][] nonzero, double[][] key, long targetZeros)
    {
        long weights = columns.Sum(c => (long)c.OutChannels * c.FanIn);
        long needed = targetZeros - (weights - nonzero.Sum(n => n.Sum()));
        var candidates = new List<(double Key, int Layer, int Column)>();
        for (int l = 0; l < nonzero.Length; l++)
        {
            for (int c = 0; c < nonzero[l].Length; c++)
            {
                if (nonzero[l][c] > 0) candidates.Add((key[l][c], l, c));
            }
        }

        if (targetZeros > weights)
        {
            throw new PotNetException($"sparsity: {targetZeros} zero weights asked, the network has {weights}");
        }

        // Stable order: equal keys keep layer and column order.
        candidates.Sort((a, b) => a.Key != b.Key ? a.Key.CompareTo(b.Key) : a.Layer != b.Layer ? a.Layer.CompareTo(b.Layer) : a.Column.CompareTo(b.Column));
        bool[][] prune = nonzero.Select(n => n.Select(count => count == 0).ToArray()).ToArray();
        bool[][] taken = nonzero.Select(n => new bool[n.Length]).ToArray();
        double? cut = null;
        long gained = 0;
        foreach (var (k, layer, column) in candidates)
        {
            if (gained >= needed && k != cut) break;
            prune[layer][column] = true;
            taken[layer][column] = true;
            gained += nonzero[layer][column];
            cut = k;
        }

        for (int l = 0; l < prune.Length; l++)
        {
            using var scope = NewDisposeScope();
            Tensor keep = tensor(prune[l].Select(p => !p).ToArray()).view(columns[l].Groups, columns[l].Units);
            mask.Restrict(l, columns[l].Expand(keep, mask.Layers[l].Weight.shape));
        }

        return (cut, taken);
    }
}
