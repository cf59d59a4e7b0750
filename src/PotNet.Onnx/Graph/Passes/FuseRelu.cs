namespace PotNet.Onnx.Graph.Passes;

/// <summary>
/// Moves each ReLU into the weighted layer before it (its flag: requantising to u8 clamps at 0).
/// It crosses max pools, which commute with it; a ReLU of a value that cannot be negative (the
/// pixels, a ReLU's output, pools of those, an add of those: PotNet's residual add) is removed.
/// </summary>
internal static class FuseRelu
{
    public static void Run(IrGraph graph)
    {
        foreach (ReluNode relu in graph.Nodes.OfType<ReluNode>().ToArray())
        {
            if (NonNegative(graph, relu.Inputs[0]))
            {
                graph.Bypass(relu);
                continue;
            }

            IrNode? producer = graph.Producer(relu.Inputs[0]);
            if (producer is PoolNode { Average: false } pool && graph.SingleUse(pool.Output)) producer = graph.Producer(pool.Inputs[0]);
            if (producer is WeightedNode layer && graph.SingleUse(layer.Output))
            {
                layer.Relu = true;
                graph.Bypass(relu);
            }
        }
    }

    /// <summary>True when <paramref name="value"/> is never negative.</summary>
    public static bool NonNegative(IrGraph graph, string value) => graph.Producer(value) switch
    {
        null => true,
        WeightedNode layer => layer.Relu,
        ReluNode => true,
        PoolNode pool => NonNegative(graph, pool.Inputs[0]),
        PadNode pad => NonNegative(graph, pad.Inputs[0]),
        AffineNode affine => affine.A.All(a => a >= 0) && affine.B.All(b => b >= 0) && NonNegative(graph, affine.Inputs[0]),
        ViewNode or PassThroughNode or PermuteNode => NonNegative(graph, graph.Producer(value)!.Inputs[0]),
        SoftmaxNode => true,
        AddNode add => add.Inputs.All(input => NonNegative(graph, input)),
        IrNode other => throw new InvalidOperationException($"{other.Where}: no rule for {other.GetType().Name}"),
    };
}
