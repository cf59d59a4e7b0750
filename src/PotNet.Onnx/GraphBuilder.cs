using Google.Protobuf;
using PotNet.Onnx.Proto;

namespace PotNet.Onnx;

/// <summary>
/// Writes an ONNX graph node by node: initializers, nodes with attributes, typed inputs and
/// outputs with a symbolic batch dimension. The exporter uses it, and so do the tests that build
/// models in the patterns other exporters write.
/// </summary>
internal sealed class GraphBuilder
{
    /// <summary>The name of the symbolic batch dimension of inputs and outputs.</summary>
    public const string Batch = "N";

    private readonly ModelProto _model;
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Starts a model for the default ONNX domain at <paramref name="opset"/>.</summary>
    public GraphBuilder(int opset, string graphName, long irVersion = 8)
    {
        _model = new ModelProto
        {
            IrVersion = irVersion,
            ProducerName = "potnet",
            ProducerVersion = typeof(GraphBuilder).Assembly.GetName().Version?.ToString() ?? "",
            Graph = new GraphProto { Name = graphName },
        };
        _model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = opset });
    }

    /// <summary>The graph being built, for tests that write fields directly.</summary>
    public GraphProto Graph => _model.Graph;

    /// <summary>The model being built.</summary>
    public ModelProto Model => _model;

    /// <summary>Adds an initializer; returns its name.</summary>
    public string Initializer(TensorProto tensor)
    {
        Claim(tensor.Name);
        _model.Graph.Initializer.Add(tensor);
        return tensor.Name;
    }

    /// <summary>Adds a node with one output named <paramref name="output"/>; returns that name.</summary>
    public string Node(string opType, IEnumerable<string> inputs, string output, params AttributeProto[] attributes)
    {
        Claim(output);
        var node = new NodeProto { OpType = opType, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _model.Graph.Node.Add(node);
        return output;
    }

    /// <summary>A graph input or output of element type <paramref name="type"/>: a null dimension is the symbolic batch.</summary>
    public static ValueInfoProto Value(string name, TensorProto.Types.DataType type, params long?[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (long? d in dims)
        {
            shape.Dim.Add(d is long v ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = Batch });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } } };
    }

    /// <summary>Declares a float graph input [N, ...].</summary>
    public void Input(string name, params long[] dims)
    {
        Claim(name);
        _model.Graph.Input.Add(Value(name, TensorProto.Types.DataType.Float, [null, .. dims.Select(d => (long?)d)]));
    }

    /// <summary>Declares a float graph output [N, ...].</summary>
    public void Output(string name, params long[] dims) =>
        _model.Graph.Output.Add(Value(name, TensorProto.Types.DataType.Float, [null, .. dims.Select(d => (long?)d)]));

    /// <summary>The serialised model.</summary>
    public byte[] ToBytes() => _model.ToByteArray();

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto String(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Tensor(string name, TensorProto value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = value };

    private void Claim(string name)
    {
        if (!_names.Add(name)) throw new InvalidOperationException($"the ONNX value name '{name}' is used twice");
    }
}
