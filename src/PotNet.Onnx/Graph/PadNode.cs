namespace PotNet.Onnx.Graph;

/// <summary>
/// A Pad on an image that adds <see cref="Padding"/> zeros on every side of H and W, until
/// <see cref="Passes.FoldPad"/> moves it into the convolution after it.
/// </summary>
internal sealed class PadNode(string name, string input, string output, long[] dims, int padding)
    : IrNode("Pad", name, [input], output, dims)
{
    /// <summary>Zeros added before and after each of H and W.</summary>
    public int Padding { get; } = padding;
}
