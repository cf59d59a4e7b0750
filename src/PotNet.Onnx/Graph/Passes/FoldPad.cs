namespace PotNet.Onnx.Graph.Passes;

/// <summary>
/// Folds a zero Pad into the convolution that alone reads it: the convolution pads by as much more
/// (its own border reads zeros too), and reads the Pad's input. Runs before the affine passes, so that
/// a normalisation folded into the convolution later sees the whole border.
/// </summary>
internal static class FoldPad
{
    public static void Run(IrGraph graph)
    {
        foreach (PadNode pad in graph.Nodes.OfType<PadNode>().ToArray())
        {
            if (!graph.SingleUse(pad.Output) || graph.Consumers(pad.Output).Single() is not WeightedNode { Dense: false, PaddingValues: null } conv) continue;
            var g = conv.Geometry;
            conv.Geometry = g with { Padding = g.Padding + pad.Padding };
            conv.InputDims = graph.DimsOf(pad.Inputs[0]);
            graph.Bypass(pad);
        }
    }
}
