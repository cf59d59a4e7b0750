using System.Numerics;
using PotNet.Float;
using PotNet.Model;
using PotNet.Onnx.Proto;

namespace PotNet.Onnx;

/// <summary>
/// Walks an ONNX graph in node order and maps it onto a sequential <see cref="FloatModel"/>. The
/// graph carries one activation from the input to the logits; every other value is a constant
/// (initializers, Constant nodes, and what Shape and the shape operators compute from them), which
/// is folded. The operators on the activation are in LayerOperators.cs.
/// </summary>
internal sealed partial class GraphImporter
{
    private readonly GraphProto _graph;
    private readonly Dictionary<string, TensorProto> _initializers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConstantTensor> _constants = new(StringComparer.Ordinal);
    private readonly HashSet<string> _layerNames = new(StringComparer.Ordinal);
    private readonly List<LayerDraft> _layers = [];
    private readonly List<string> _warnings = [];
    private readonly Shape _input;

    private string _activation;
    private bool _vector;
    private Shape _shape;
    private ComputeDraft? _direct;
    private ComputeDraft? _reluTarget;
    private bool _softmaxed;
    private double[] _affineA, _affineB;

    private GraphImporter(GraphProto graph, InputNormalization normalization)
    {
        _graph = graph;
        foreach (TensorProto tensor in graph.Initializer) _initializers[tensor.Name] = tensor;
        (_activation, _input) = DataInput();
        _shape = _input;
        (_affineA, _affineB) = normalization.Affine(_input.Channels);
    }

    /// <summary>Maps <paramref name="graph"/> onto a float model; the warnings say where it is approximate.</summary>
    public static (FloatModel Model, IReadOnlyList<string> Warnings) Import(GraphProto graph, InputNormalization normalization)
    {
        var importer = new GraphImporter(graph, normalization);
        for (int i = 0; i < graph.Node.Count; i++) importer.Visit(graph.Node[i], i);
        return (importer.Assemble(), importer._warnings);
    }

    private void Visit(NodeProto node, int index)
    {
        PotNetException Fail(string problem) => new($"node '{(node.Name.Length > 0 ? node.Name : $"#{index}")}' ({node.OpType}): {problem}");
        if (node.Domain is not ("" or "ai.onnx")) throw Unsupported(node, Fail);
        if (node.Output.Count == 0) throw Fail("it has no output");
        var attributes = new NodeAttributes(node, Fail);
        bool onActivation = node.Input.Contains(_activation);
        var constants = node.Input.Select(name => name == _activation ? null : Constant(name, Fail)).ToArray();

        if (node.OpType == "Constant")
        {
            _constants[node.Output[0]] = ConstantValue(attributes, Fail);
        }
        else if (node.OpType == "Shape" && onActivation)
        {
            _constants[node.Output[0]] = ShapeOfActivation(attributes);
        }
        else if (!onActivation && ConstantFolding.Operators.Contains(node.OpType))
        {
            _constants[node.Output[0]] = ConstantFolding.Evaluate(node, constants, attributes, Fail);
        }
        else if (onActivation)
        {
            if (_softmaxed) throw Fail($"{node.OpType} follows the final Softmax/LogSoftmax; PotNet drops that only as the last operator");
            if (node.Input.Count(n => n == _activation) > 1) throw Fail("it reads the activation twice: PotNet imports sequential networks");
            ApplyToActivation(node, constants, attributes, Fail);
            _pastActivations.Add(_activation);
            _activation = node.Output[0];
        }
        else if (node.Input.Any(IsStale))
        {
            throw Fail("it reads an earlier activation: the graph branches, and PotNet imports sequential networks");
        }
        else
        {
            throw Unsupported(node, Fail);
        }
    }

    private readonly HashSet<string> _pastActivations = new(StringComparer.Ordinal);

    private bool IsStale(string name) => _pastActivations.Contains(name);

    /// <summary>The operators of an already quantised model (QDQ or QLinear/Integer), which deserve a hint.</summary>
    private static readonly HashSet<string> QuantizedOperators = new(StringComparer.Ordinal)
    {
        "QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear", "QLinearConv", "QLinearMatMul", "ConvInteger", "MatMulInteger",
    };

    private static PotNetException Unsupported(NodeProto node, Func<string, PotNetException> fail) =>
        fail($"operator {(node.Domain is "" or "ai.onnx" ? "" : node.Domain + ".")}{node.OpType} is not supported; PotNet imports {string.Join(", ", OnnxImport.SupportedOperators)}"
            + (QuantizedOperators.Contains(node.OpType) ? ". This model is already quantised: import the float model it came from, and PotNet quantises it" : ""));

    /// <summary>The value of a constant input: "" (an absent optional input) is null.</summary>
    private ConstantTensor? Constant(string name, Func<string, PotNetException> fail)
    {
        if (name.Length == 0) return null;
        if (_constants.TryGetValue(name, out ConstantTensor? known)) return known;
        if (_initializers.TryGetValue(name, out TensorProto? tensor))
        {
            var value = Decode(tensor, p => new PotNetException($"initializer '{name}': {p}"));
            _constants[name] = value;
            return value;
        }

        if (IsStale(name)) throw fail($"input '{name}' is an earlier activation: the graph branches, and PotNet imports sequential networks");
        throw fail($"input '{name}' is not defined: no initializer, Constant node or earlier node produces it (a missing initializer?)");
    }

    private static ConstantTensor Decode(TensorProto tensor, Func<string, PotNetException> fail) =>
        new(tensor.Dims.ToArray(), OnnxTensors.Values(tensor, fail));

    private static ConstantTensor ConstantValue(NodeAttributes attributes, Func<string, PotNetException> fail)
    {
        if (attributes.Tensor("value") is { } tensor) return Decode(tensor, fail);
        if (attributes.Has("value_float")) return ConstantTensor.Scalar(attributes.Float("value_float", 0));
        if (attributes.Has("value_int")) return ConstantTensor.Scalar(attributes.Int("value_int", 0));
        if (attributes.Floats("value_floats") is { } floats) return ConstantTensor.Vector(floats.Select(f => (double)f).ToArray());
        if (attributes.Ints("value_ints") is { } ints) return ConstantTensor.Vector(ints.Select(i => (double)i).ToArray());
        throw fail("only tensor, float and int values are supported (not sparse or string ones)");
    }

    /// <summary>The activation's shape, batch as NaN, optionally sliced by start/end (opset 15).</summary>
    private ConstantTensor ShapeOfActivation(NodeAttributes attributes)
    {
        double[] dims = _vector ? [double.NaN, _shape.Size] : [double.NaN, _shape.Channels, _shape.Height, _shape.Width];
        int n = dims.Length;
        int Clamp(long v) => (int)Math.Clamp(v < 0 ? v + n : v, 0, n);
        int start = Clamp(attributes.Int("start", 0)), end = Clamp(attributes.Int("end", n));
        return ConstantTensor.Vector(dims[start..Math.Max(start, end)]);
    }

    /// <summary>The one graph input that is not an initializer: float [N, C, H, W], every dimension but N fixed.</summary>
    private (string Name, Shape Shape) DataInput()
    {
        var inputs = _graph.Input.Where(i => !_initializers.ContainsKey(i.Name)).ToArray();
        if (inputs.Length != 1) throw new PotNetException($"the graph has {inputs.Length} data inputs ({string.Join(", ", inputs.Select(i => i.Name))}); PotNet imports models with one image input");
        ValueInfoProto input = inputs[0];
        var tensor = input.Type?.TensorType ?? throw new PotNetException($"input '{input.Name}': not a tensor");
        if (tensor.ElemType != (int)TensorProto.Types.DataType.Float) throw new PotNetException($"input '{input.Name}': element type {(TensorProto.Types.DataType)tensor.ElemType}, PotNet imports float inputs");
        var dims = tensor.Shape?.Dim ?? throw new PotNetException($"input '{input.Name}': the shape is not given; PotNet needs [N, C, H, W] with C, H and W fixed");
        if (dims.Count != 4) throw new PotNetException($"input '{input.Name}': rank {dims.Count}; PotNet imports image models, input [N, C, H, W]");
        var fixedDims = new int[3];
        for (int i = 1; i < 4; i++)
        {
            var d = dims[i];
            if (d.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || d.DimValue < 1 || d.DimValue > 1 << 14)
            {
                string what = d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam ? $"the dynamic size '{d.DimParam}'" : $"{d.DimValue}";
                throw new PotNetException($"input '{input.Name}': dimension {i} is {what}; only the batch (dimension 0) may be dynamic, the others must be fixed sizes from 1 to 16384");
            }

            fixedDims[i - 1] = (int)d.DimValue;
        }

        var shape = new Shape(fixedDims[0], fixedDims[1], fixedDims[2]);
        if ((long)shape.Channels * shape.Height * shape.Width > 1 << 24) throw new PotNetException($"input '{input.Name}': {shape} is too large (over 2^24 values)");
        return (input.Name, shape);
    }

    private FloatModel Assemble()
    {
        var output = _graph.Output.Select(o => o.Name).ToArray();
        if (output.Length != 1) throw new PotNetException($"the graph has {output.Length} outputs; PotNet imports models with one output (the logits)");
        if (output[0] != _activation)
        {
            throw new PotNetException($"output '{output[0]}' is not the end of the chain of layers from the input (which ends at '{_activation}')");
        }

        if (!_layers.OfType<ComputeDraft>().Any()) throw new PotNetException("the graph has no Conv, Gemm or MatMul: nothing to quantise");
        FoldInputNormalization();
        while (_layers[^1] is FixedDraft { Layer: Model.Flatten }) _layers.RemoveAt(_layers.Count - 1);
        return new FloatModel(_input, _layers.Select(l => l.Build()).ToArray());
    }

    /// <summary>A file-safe, unique layer name from the weight's name (conv1.weight: conv1), else the node's.</summary>
    private string LayerName(string preferred, string fallback)
    {
        string Clean(string s) => new string(s.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_').ToArray()).Trim('_', '.', '-');
        string name = Clean(preferred.EndsWith(".weight", StringComparison.Ordinal) ? preferred[..^".weight".Length] : preferred);
        if (name.Length == 0 || name.Length > 64) name = Clean(fallback);
        if (name.Length == 0 || name.Length > 64) name = $"layer{_layers.Count}";
        string unique = name;
        for (int i = 2; !_layerNames.Add(unique); i++) unique = $"{name}_{i}";
        return unique;
    }

    private static int ToInt(long value, string what, Func<string, PotNetException> fail) =>
        value is >= 0 and <= 1 << 24 ? (int)value : throw fail($"{what} {value} is out of range");

    private static bool IsPowerOfTwo(int value) => BitOperations.IsPow2(value);
}
