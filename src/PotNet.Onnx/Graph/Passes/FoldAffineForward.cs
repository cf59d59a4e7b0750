using PotNet.Model;

namespace PotNet.Onnx.Graph.Passes;

/// <summary>
/// Folds an affine map into the weighted layer after it, <c>w' = w a</c>, <c>b' = b + sum w shift</c>:
/// the input normalisation, and a batch norm that a ReLU separates from the layer before it. Into a
/// dense layer the map may vary per element; into a convolution it must be constant per input
/// channel. It first moves past pools: an average pool always commutes with a per-channel map, a max
/// pool when the scale is positive. Into a padded convolution the border keeps reading what it read:
/// the padding values become the inputs the map takes to them (<c>-shift / a</c> for a zero border).
/// </summary>
internal static class FoldAffineForward
{
    public static void Run(IrGraph graph)
    {
        for (bool changed = true; changed;)
        {
            changed = false;
            foreach (AffineNode affine in graph.Nodes.OfType<AffineNode>().ToArray())
            {
                if (!graph.SingleUse(affine.Output)) continue;
                IrNode next = graph.Consumers(affine.Output).Single();
                changed |= next switch
                {
                    // Only into what the layer multiplies: a residual source is added as it is.
                    WeightedNode layer when layer.Inputs[0] == affine.Output => Fold(graph, affine, layer),
                    PoolNode pool => MovePast(graph, affine, pool),
                    _ => false,
                };
            }
        }
    }

    private static bool Fold(IrGraph graph, AffineNode affine, WeightedNode layer)
    {
        if (layer.Dense)
        {
            layer.FoldInputAffine((_, k) => (affine.A[k], affine.B[k]));
        }
        else
        {
            if (affine.PerChannel(layer.InputDims) is not var (a, b)) return false;
            ConvGeometry geometry = layer.Geometry;
            if (geometry.Padding > 0 && b.Any(v => v != 0) && a.Any(v => v == 0)) return false;
            layer.FoldInputAffine((group, k) => (a[geometry.InputChannelOf(group, k)], b[geometry.InputChannelOf(group, k)]));
            if (layer.Geometry.Padding > 0 && (b.Any(v => v != 0) || layer.PaddingValues is not null))
            {
                // The border read the map's output value v; it now reads the input that the map takes to v.
                double[] before = layer.PaddingValues ?? new double[a.Length];
                layer.PaddingValues = before.Select((v, c) => (v - b[c]) / a[c]).ToArray();
                double lowest = layer.PaddingValues.Min();
                if (lowest < 0)
                {
                    graph.Warnings.Add($"layer '{layer.LayerName}': its padded border reads {lowest:G4} (the input that {affine.Where} takes to the border's value), below 0, where u8 activations cannot go: the float model is exact, the quantised one reads 0 there");
                }
            }
        }

        graph.Bypass(affine);
        return true;
    }

    /// <summary>Swaps the map and the pool after it: the pool reads the map's input, and a new map reads the pool.</summary>
    private static bool MovePast(IrGraph graph, AffineNode affine, PoolNode pool)
    {
        if (!graph.SingleUse(pool.Output) || affine.PerChannel(pool.InputDims) is not var (a, b)) return false;
        if (!pool.Average && a.Any(v => v <= 0)) return false;
        long block = pool.Size / a.Length;
        var moved = new AffineNode(affine.OpType, affine.Name, pool.Output, $"{pool.Output} ({affine.Name})", pool.Dims,
            Enumerable.Range(0, (int)pool.Size).Select(e => a[e / block]).ToArray(), Enumerable.Range(0, (int)pool.Size).Select(e => b[e / block]).ToArray());
        foreach (IrNode consumer in graph.Consumers(pool.Output).ToArray())
        {
            for (int i = 0; i < consumer.Inputs.Count; i++)
            {
                if (consumer.Inputs[i] == pool.Output) consumer.Inputs[i] = moved.Output;
            }
        }

        if (graph.Output == pool.Output) graph.Output = moved.Output;
        graph.Nodes.Insert(graph.Nodes.IndexOf(pool) + 1, moved);
        graph.Bypass(affine);
        return true;
    }
}
