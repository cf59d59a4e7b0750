namespace PotNet.Onnx.Graph.Passes;

/// <summary>Drops a Softmax or LogSoftmax that writes the graph output: the argmax of the logits is the same.</summary>
internal static class DropFinalSoftmax
{
    public static void Run(IrGraph graph)
    {
        while (graph.Producer(graph.Output) is SoftmaxNode softmax) graph.Bypass(softmax);
    }
}
