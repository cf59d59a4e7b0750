using PotNet.Onnx.Proto;

namespace PotNet.Onnx.Graph;

/// <summary>An ONNX node that reads at least one activation, with its inputs resolved: constants by position (null for activations and absent inputs).</summary>
internal sealed record OnnxOperator(NodeProto Node, string Name, NodeAttributes Attributes, ConstantTensor?[] Constants, string[] Activations, Func<string, PotNetException> Fail)
{
    public string OpType => Node.OpType;

    public string Output => Node.Output[0];

    /// <summary>Input <paramref name="index"/>, which must be a constant.</summary>
    public ConstantTensor Required(int index, string what) =>
        index < Constants.Length && Constants[index] is { } t ? t
        : index < Node.Input.Count && Activations.Contains(Node.Input[index])
            ? throw Fail($"{what} (input {index}) is an activation; PotNet needs a constant there (an initializer or Constant node)")
            : throw Fail($"{what} (input {index}) must be a constant (an initializer or Constant node)");

    /// <summary>Optional input <paramref name="index"/>: null when absent.</summary>
    public ConstantTensor? Optional(int index, string what) =>
        index < Node.Input.Count && Node.Input[index].Length > 0 ? Required(index, what) : null;
}
