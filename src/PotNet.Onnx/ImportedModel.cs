using PotNet.Float;

namespace PotNet.Onnx;

/// <summary>An ONNX model mapped onto PotNet's float model.</summary>
/// <param name="Model">The float network, reading <c>pixel / 256</c>, with the input normalisation folded in.</param>
/// <param name="Opset">The default domain's opset the file declares.</param>
/// <param name="Producer">The producer named in the file (e.g. "pytorch 2.5").</param>
/// <param name="Warnings">Where the mapping is approximate.</param>
public sealed record ImportedModel(FloatModel Model, int Opset, string Producer, IReadOnlyList<string> Warnings);
