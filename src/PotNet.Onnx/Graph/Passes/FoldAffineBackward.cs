namespace PotNet.Onnx.Graph.Passes;

/// <summary>
/// Folds an affine map (a BatchNormalization, a bias Add, a constant Mul) into the weighted layer
/// right before it, <c>w' = a[c] w</c>, <c>b' = a[c] b + shift[c]</c>, when the map is constant over
/// each output channel, the layer has no ReLU yet and nothing else reads the layer's output.
/// </summary>
internal static class FoldAffineBackward
{
    public static void Run(IrGraph graph)
    {
        foreach (AffineNode affine in graph.Nodes.OfType<AffineNode>().ToArray())
        {
            if (graph.Producer(affine.Inputs[0]) is not WeightedNode { Relu: false } layer || !graph.SingleUse(layer.Output)) continue;
            if (affine.PerChannel(layer.Dims) is not var (a, b)) continue;
            layer.ScaleOutputs(a, b);
            graph.Bypass(affine);
        }
    }
}
