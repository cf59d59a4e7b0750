namespace PotNet.Onnx.Graph.Passes;

/// <summary>Removes Identity, Dropout (inference) and Cast to float: their output is their input.</summary>
internal static class RemovePassThrough
{
    public static void Run(IrGraph graph)
    {
        foreach (PassThroughNode node in graph.Nodes.OfType<PassThroughNode>().ToArray()) graph.Bypass(node);
    }
}
