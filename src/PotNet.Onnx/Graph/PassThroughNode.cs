namespace PotNet.Onnx.Graph;

/// <summary>Identity, Dropout (inference), or a Cast to float: the output is the input.</summary>
internal sealed class PassThroughNode(string opType, string name, string input, string output, long[] dims)
    : IrNode(opType, name, [input], output, dims);
