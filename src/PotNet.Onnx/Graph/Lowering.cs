using PotNet.Onnx.Proto;

namespace PotNet.Onnx.Graph;

/// <summary>
/// The first pass: ONNX nodes to import-graph nodes, with constant folding and shape inference in
/// the same walk (ONNX requires topological order). Every value is either a constant (initializers,
/// Constant nodes, Shape of an activation, whose dimensions are inferred by then, and what
/// <see cref="ConstantFolding"/> computes from them) or an activation, whose dimensions each lowered
/// operator infers. Operators on activations are in LoweringOperators.cs.
/// </summary>
internal sealed partial class Lowering
{
    private readonly GraphProto _graph;
    private readonly Dictionary<string, TensorProto> _initializers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConstantTensor> _constants = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long[]> _activations = new(StringComparer.Ordinal);
    private readonly List<IrNode> _nodes = [];
    private readonly long? _fixedBatch;

    private Lowering(GraphProto graph)
    {
        _graph = graph;
        foreach (TensorProto tensor in graph.Initializer) _initializers[tensor.Name] = tensor;
        (Input, InputDims, _fixedBatch) = GraphInput.Read(graph, _initializers);
        _activations[Input] = InputDims;
    }

    private string Input { get; }

    private long[] InputDims { get; }

    /// <summary>Lowers <paramref name="graph"/>; the input normalisation becomes an <see cref="AffineNode"/> after the input.</summary>
    public static IrGraph Run(GraphProto graph, InputNormalization normalization)
    {
        var lowering = new Lowering(graph);
        string input = lowering.Input;
        AffineNode? normalize = NormalizationNode(normalization, input, lowering.InputDims);
        if (normalize is not null) lowering._nodes.Add(normalize);
        for (int i = 0; i < graph.Node.Count; i++) lowering.Visit(graph.Node[i], i);
        var outputs = graph.Output.Select(o => o.Name).ToArray();
        if (outputs.Length != 1) throw new PotNetException($"the graph has {outputs.Length} outputs; PotNet imports models with one output (the logits)");
        if (!lowering._activations.ContainsKey(outputs[0])) throw new PotNetException($"output '{outputs[0]}' is not computed from the input");
        return new IrGraph(normalize is null ? input : normalize.Inputs[0], lowering.InputDims, lowering._nodes, outputs[0]);
    }

    /// <summary>The normalisation as a node: it takes over the input's name, and the pixels get a new one.</summary>
    private static AffineNode? NormalizationNode(InputNormalization normalization, string input, long[] dims)
    {
        int channels = dims.Length == 3 ? (int)dims[0] : 1;
        (double[] a, double[] b) = normalization.Affine(channels);
        if (a.All(v => v == 1) && b.All(v => v == 0)) return null;
        long size = dims.Aggregate(1L, (p, d) => p * d);
        long block = size / channels;
        var perA = new double[size];
        var perB = new double[size];
        for (long i = 0; i < size; i++)
        {
            perA[i] = a[i / block];
            perB[i] = b[i / block];
        }

        return new AffineNode("InputNormalization", "input normalisation", $"{input} (pixels)", input, dims, perA, perB);
    }

    private void Visit(NodeProto node, int index)
    {
        string name = node.Name.Length > 0 ? node.Name : $"#{index}";
        PotNetException Fail(string problem) => new($"node '{name}' ({node.OpType}): {problem}");
        if (node.Domain is not ("" or "ai.onnx")) throw Fail(Messages.Unsupported(node.Domain + "." + node.OpType));
        if (node.Output.Count == 0) throw Fail("it has no output");
        var attributes = new NodeAttributes(node, Fail);
        string[] data = node.Input.Where(_activations.ContainsKey).ToArray();
        if (node.OpType == "Constant")
        {
            _constants[node.Output[0]] = ConstantValue(attributes, Fail);
        }
        else if (node.OpType == "Shape" && data.Length == 1)
        {
            _constants[node.Output[0]] = ShapeOf(_activations[data[0]], attributes);
        }
        else if (data.Length == 0)
        {
            var constants = node.Input.Select(n => Constant(n, Fail)).ToArray();
            if (!ConstantFolding.Operators.Contains(node.OpType)) throw Fail(Messages.Unsupported(node.OpType));
            _constants[node.Output[0]] = ConstantFolding.Evaluate(node, constants, attributes, Fail);
        }
        else
        {
            var constants = node.Input.Select(n => _activations.ContainsKey(n) ? null : Constant(n, Fail)).ToArray();
            IrNode lowered = Lower(new OnnxOperator(node, name, attributes, constants, data, Fail));
            _nodes.Add(lowered);
            _activations[lowered.Output] = lowered.Dims;
        }
    }

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

    /// <summary>
    /// An activation's shape with the batch: NaN for a dynamic batch, the number for a fixed one;
    /// optionally sliced by start/end (opset 15).
    /// </summary>
    private ConstantTensor ShapeOf(long[] dims, NodeAttributes attributes)
    {
        double[] all = [_fixedBatch is long b ? b : double.NaN, .. dims.Select(d => (double)d)];
        int n = all.Length;
        int Clamp(long v) => (int)Math.Clamp(v < 0 ? v + n : v, 0, n);
        int start = Clamp(attributes.Int("start", 0)), end = Clamp(attributes.Int("end", n));
        return ConstantTensor.Vector(all[start..Math.Max(start, end)]);
    }
}
