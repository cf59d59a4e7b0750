using Google.Protobuf;
using PotNet.Onnx.Proto;

namespace PotNet.Onnx;

/// <summary>
/// Reads an ONNX file (opsets 9 to 21) into a <see cref="ImportedModel"/>: a sequential float network
/// that <see cref="Quantization.Quantizer"/> turns into a PoT, uniform or APoT model. Anything outside
/// the supported subset is refused with one <see cref="PotNetException"/> that names the node.
/// </summary>
public static class OnnxImport
{
    /// <summary>The lowest default-domain opset read.</summary>
    public const int MinOpset = 9;

    /// <summary>The highest default-domain opset read.</summary>
    public const int MaxOpset = 21;

    /// <summary>The operators the importer maps on activations.</summary>
    public static IReadOnlyList<string> ActivationOperators => Graph.Messages.OnActivations;

    /// <summary>The operators the importer evaluates on constants only (shape computations).</summary>
    public static IReadOnlyList<string> ConstantOperators => Graph.Messages.OnConstants;

    /// <summary>Reads the ONNX file at <paramref name="path"/>.</summary>
    public static ImportedModel Load(string path, InputNormalization? normalization = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new PotNetException($"{path}: file not found");
        try
        {
            return Read(File.ReadAllBytes(path), normalization);
        }
        catch (PotNetException ex)
        {
            throw new PotNetException($"{path}: {ex.Message}");
        }
    }

    /// <summary>Reads an ONNX model from its bytes.</summary>
    public static ImportedModel Read(ReadOnlySpan<byte> bytes, InputNormalization? normalization = null)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException ex)
        {
            throw new PotNetException($"not a valid ONNX file (malformed protobuf: {ex.Message})");
        }

        if (model.Graph is null || model.Graph.Node.Count == 0) throw new PotNetException("not an ONNX model: it has no graph (is it an ONNX file?)");
        int opset = Opset(model);
        var (floatModel, warnings) = GraphImporter.Import(model.Graph, normalization ?? InputNormalization.PotNet);
        string producer = $"{model.ProducerName} {model.ProducerVersion}".Trim();
        return new ImportedModel(floatModel, opset, producer, warnings);
    }

    private static int Opset(ModelProto model)
    {
        var ids = model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").ToArray();
        if (ids.Length == 0) throw new PotNetException("the model imports no opset of the default ONNX domain");
        long opset = ids.Max(o => o.Version);
        if (opset is < MinOpset or > MaxOpset) throw new PotNetException($"opset {opset} is not supported (PotNet reads opsets {MinOpset} to {MaxOpset})");
        return (int)opset;
    }
}
