namespace PotNet.Onnx.Graph.Passes;

/// <summary>
/// Removes Reshape, Flatten, Squeeze, Unsqueeze and size-1 Transposes: they change the dimensions
/// and no element, and every node has recorded the dimensions it reads. A dense layer remembers the
/// name of the view that flattened its input, which names the PotNet flatten layer.
/// </summary>
internal static class RemoveViews
{
    public static void Run(IrGraph graph)
    {
        foreach (WeightedNode dense in graph.Nodes.OfType<WeightedNode>().Where(w => w.Dense))
        {
            for (IrNode? node = graph.Producer(dense.Inputs[0]); node is ViewNode view; node = graph.Producer(view.Inputs[0]))
            {
                if (graph.DimsOf(view.Inputs[0]).Length > 1 && view.Dims.Length == 1) dense.FlattenName = view.Name;
            }
        }

        foreach (ViewNode node in graph.Nodes.OfType<ViewNode>().ToArray()) graph.Bypass(node);
    }
}
