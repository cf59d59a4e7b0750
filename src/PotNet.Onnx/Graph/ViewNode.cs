namespace PotNet.Onnx.Graph;

/// <summary>
/// Reshape, Flatten, Squeeze, Unsqueeze, or a Transpose that only moves axes of size 1: new
/// dimensions, the same elements in the same order.
/// </summary>
internal sealed class ViewNode(string opType, string name, string input, string output, long[] dims)
    : IrNode(opType, name, [input], output, dims);
