namespace PotNet.Onnx.Graph;

/// <summary>Softmax or LogSoftmax: dropped as the last operator, since the argmax does not change.</summary>
internal sealed class SoftmaxNode(string opType, string name, string input, string output, long[] dims)
    : IrNode(opType, name, [input], output, dims);
