namespace PotNet.Onnx.Graph;

/// <summary>A ReLU, until <see cref="Passes.FuseRelu"/> moves it into the weighted layer before it.</summary>
internal sealed class ReluNode(string name, string input, string output, long[] dims)
    : IrNode("Relu", name, [input], output, dims);
