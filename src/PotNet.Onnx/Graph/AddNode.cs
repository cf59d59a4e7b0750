namespace PotNet.Onnx.Graph;

/// <summary>
/// An Add of two activations of the same dimensions: a residual connection, which becomes a
/// <see cref="Model.ResidualAdd"/> when both operands are never negative (u8 activations).
/// </summary>
internal sealed class AddNode(string name, string first, string second, string output, long[] dims)
    : IrNode("Add", name, [first, second], output, dims);
