namespace PotNet.Onnx.Graph;

/// <summary>
/// The import graph: the data input, the nodes on activations in topological order, and the
/// output. Constants are gone by now (folded into the nodes that use them). Passes rewrite it in
/// place; <see cref="Bypass"/> is their one way of removing a node.
/// </summary>
internal sealed class IrGraph(string input, long[] inputDims, List<IrNode> nodes, string output)
{
    /// <summary>The graph input's value name.</summary>
    public string Input { get; } = input;

    /// <summary>The input's dimensions without the batch (rank 1 to 3).</summary>
    public long[] InputDims { get; } = inputDims;

    /// <summary>The nodes in topological order.</summary>
    public List<IrNode> Nodes { get; } = nodes;

    /// <summary>The graph output's value name (the logits).</summary>
    public string Output { get; set; } = output;

    /// <summary>Where the imported model is approximate.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>The node that writes <paramref name="value"/>, or null for the graph input.</summary>
    public IrNode? Producer(string value) => Nodes.Find(n => n.Output == value);

    /// <summary>The nodes that read <paramref name="value"/>.</summary>
    public IEnumerable<IrNode> Consumers(string value) => Nodes.Where(n => n.Inputs.Contains(value));

    /// <summary>True when <paramref name="value"/> has exactly one reader and is not the graph output.</summary>
    public bool SingleUse(string value) => value != Output && Consumers(value).Count() == 1;

    /// <summary>The dimensions of <paramref name="value"/>.</summary>
    public long[] DimsOf(string value) => Producer(value)?.Dims ?? InputDims;

    /// <summary>Removes <paramref name="node"/>: whatever read its output reads its first input instead.</summary>
    public void Bypass(IrNode node)
    {
        string replacement = node.Inputs[0];
        foreach (IrNode consumer in Consumers(node.Output))
        {
            for (int i = 0; i < consumer.Inputs.Count; i++)
            {
                if (consumer.Inputs[i] == node.Output) consumer.Inputs[i] = replacement;
            }
        }

        if (Output == node.Output) Output = replacement;
        Nodes.Remove(node);
    }
}
