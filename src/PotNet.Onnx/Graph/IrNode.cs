namespace PotNet.Onnx.Graph;

/// <summary>
/// A node of the import graph: an operator on activations, lowered from one ONNX node. It reads
/// one or more activations (<see cref="Inputs"/>, value names) and writes <see cref="Output"/>,
/// whose shape without the batch is <see cref="Dims"/> (ONNX's dimensions, CHW order for images).
/// Element order is ONNX's row-major order, so a view changes <see cref="Dims"/> but no element.
/// </summary>
internal abstract class IrNode(string opType, string name, IEnumerable<string> inputs, string output, long[] dims)
{
    /// <summary>The ONNX operator this node came from (messages name it).</summary>
    public string OpType { get; } = opType;

    /// <summary>The ONNX node's name (or #index when it has none).</summary>
    public string Name { get; } = name;

    /// <summary>The activations read, in operand order.</summary>
    public List<string> Inputs { get; } = [.. inputs];

    /// <summary>The activation written.</summary>
    public string Output { get; } = output;

    /// <summary>The output's dimensions without the batch.</summary>
    public long[] Dims { get; } = dims;

    /// <summary>Number of elements of the output per sample.</summary>
    public long Size => Dims.Aggregate(1L, (p, d) => p * d);

    /// <summary>How messages name the node: <c>node 'NAME' (OpType)</c>.</summary>
    public string Where => $"node '{Name}' ({OpType})";

    /// <summary>An error naming this node.</summary>
    public PotNetException Fail(string problem) => new($"{Where}: {problem}");

    /// <summary>Shape text with the batch, <c>[N, 6, 28, 28]</c>.</summary>
    public static string Text(long[] dims) => $"[N{string.Concat(dims.Select(d => $", {d}"))}]";
}
