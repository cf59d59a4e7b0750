namespace PotNet.Onnx.Graph.Passes;

/// <summary>
/// PyTorch's standard basic block, <c>relu(bn(conv(h)) + x)</c> (the batch norm folded already): an Add of
/// a weighted layer without a ReLU, which nothing else reads, and a value that is never negative (the u8
/// activation <c>x</c>), followed by a Relu that alone reads it, becomes that layer with <c>x</c> as its
/// residual source (added into its accumulator before the requantisation) and the ReLU. The Add and the
/// Relu go. An Add of two signed values (a projection shortcut without a ReLU) stays, for
/// <see cref="ModelAssembly"/> to refuse.
/// </summary>
internal static class FuseResidual
{
    public static void Run(IrGraph graph)
    {
        foreach (AddNode add in graph.Nodes.OfType<AddNode>().ToArray())
        {
            if (!graph.SingleUse(add.Output) || graph.Consumers(add.Output).Single() is not ReluNode relu) continue;
            // The layer is the operand that needs the ReLU; the other must be u8 already.
            int operand = Array.FindIndex([.. add.Inputs], value => graph.Producer(value) is WeightedNode { Relu: false, Residual: null } && graph.SingleUse(value)
                && FuseRelu.NonNegative(graph, add.Inputs[1 - add.Inputs.IndexOf(value)]));
            if (operand < 0) continue;
            var layer = (WeightedNode)graph.Producer(add.Inputs[operand])!;
            string source = add.Inputs[1 - operand];
            if (!graph.DimsOf(source).SequenceEqual(layer.Dims)) continue;
            layer.Inputs.Add(source);
            layer.Relu = true;
            // The layer reads x, so it must come after what writes x (before the add, which read both).
            if (graph.Producer(source) is IrNode writer && graph.Nodes.IndexOf(writer) > graph.Nodes.IndexOf(layer))
            {
                graph.Nodes.Remove(layer);
                graph.Nodes.Insert(graph.Nodes.IndexOf(writer) + 1, layer);
            }

            // Bypass takes the first operand's place: make it the layer's.
            if (operand == 1) add.Inputs.Reverse();
            graph.Bypass(add);
            graph.Bypass(relu);
        }
    }
}
