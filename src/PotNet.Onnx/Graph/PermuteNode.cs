namespace PotNet.Onnx.Graph;

/// <summary>
/// A Transpose that reorders elements (tf2onnx's NCHW-to-NHWC before a flatten): output element
/// <c>e</c> is input element <see cref="Source"/>[e]. <see cref="Passes.FoldPermutation"/> folds it
/// into the dense layer after it by reordering the weights' columns.
/// </summary>
internal sealed class PermuteNode(string name, string input, string output, long[] dims, int[] source)
    : IrNode("Transpose", name, [input], output, dims)
{
    /// <summary>The input element each output element reads.</summary>
    public int[] Source { get; } = source;
}
