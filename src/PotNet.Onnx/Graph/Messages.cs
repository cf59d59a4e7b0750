namespace PotNet.Onnx.Graph;

/// <summary>The import's refusals that list what is supported, so that each list has one definition.</summary>
internal static class Messages
{
    /// <summary>Operators PotNet maps on activations.</summary>
    public static IReadOnlyList<string> OnActivations { get; } =
    [
        "Conv", "Gemm", "MatMul", "BatchNormalization", "Add", "Sub", "Mul", "Div", "Relu", "MaxPool", "AveragePool", "GlobalAveragePool", "Pad",
        "Flatten", "Reshape", "Squeeze", "Unsqueeze", "Transpose", "Identity", "Dropout", "Cast", "Softmax", "LogSoftmax",
    ];

    /// <summary>Operators PotNet evaluates only on constants (shape computations); <c>Shape</c> also reads an activation's shape.</summary>
    public static IReadOnlyList<string> OnConstants { get; } = ["Constant", "Shape", .. ConstantFolding.Operators.Where(o => !OnActivations.Contains(o)).Order(StringComparer.Ordinal)];

    /// <summary>Activations that u8 activations with a ReLU clamp cannot express.</summary>
    public static IReadOnlySet<string> Activations { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "Sigmoid", "Tanh", "Gelu", "Erf", "Elu", "Selu", "Celu", "LeakyRelu", "PRelu", "Softplus", "Softsign", "HardSigmoid", "HardSwish", "Mish",
        "ThresholdedRelu", "Clip", "Exp", "Log", "Sqrt", "Abs", "Neg", "Pow", "Sin", "Cos",
    };

    /// <summary>The operators of an already quantised model (QDQ or QLinear/Integer), which deserve a hint.</summary>
    private static readonly HashSet<string> Quantized = new(StringComparer.Ordinal)
    {
        "QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear", "QLinearConv", "QLinearMatMul", "ConvInteger", "MatMulInteger",
    };

    /// <summary>An operator PotNet does not import at all.</summary>
    public static string Unsupported(string opType) =>
        $"operator {opType} is not supported; PotNet imports {string.Join(", ", OnActivations)} on activations, and {string.Join(", ", OnConstants)} on constants"
        + (Quantized.Contains(opType) ? ". This model is already quantised: import the float model it came from, and PotNet quantises it" : "");

    /// <summary>An operator PotNet folds only when every input is a constant, met on an activation.</summary>
    public static string ConstantOnly(string opType, string activation) =>
        $"PotNet evaluates {opType} only on constants (shape computations: {string.Join(", ", OnConstants)}), and its input '{activation}' is an activation";

    /// <summary>An activation function PotNet cannot express, and the layer it follows.</summary>
    public static string Activation(string opType, string follows) =>
        $"the activation {opType} after {follows} cannot be expressed: PotNet's hidden layers end in a ReLU (they requantise to u8, which clamps at 0), so the only activation it imports is Relu";
}
