using PotNet.Onnx.Proto;

namespace PotNet.Onnx.Tests;

/// <summary>
/// Builds ONNX graphs the way PyTorch's exporter writes them: value names such as
/// "/conv1/Conv_output_0", weights named "conv1.weight", a Shape/Gather/Unsqueeze/Concat chain for
/// <c>x.view(x.size(0), -1)</c>, Unsqueeze axes as an attribute before opset 13 and as an input
/// from 13, and optionally every initializer as a Constant node. Weights are random.
/// </summary>
internal sealed class TorchStyleGraph
{
    private readonly GraphBuilder _graph;
    private readonly Random _random;
    private readonly bool _constantNodes;
    private readonly int _opset;
    private int _count;

    private readonly long? _batch;

    public TorchStyleGraph(int opset, int seed, int channels, int height, int width, bool constantNodes = false)
        : this(opset, seed, [channels, height, width], constantNodes: constantNodes)
    {
    }

    /// <summary>A graph with input <paramref name="inputName"/> of <paramref name="dims"/> after the batch, which is symbolic unless <paramref name="batch"/> fixes it.</summary>
    public TorchStyleGraph(int opset, int seed, long[] dims, long? batch = null, bool constantNodes = false, string inputName = "input.1")
    {
        _opset = opset;
        _batch = batch;
        _graph = new GraphBuilder(opset, "main_graph", irVersion: opset <= 9 ? 4 : 8);
        _random = new Random(seed);
        _constantNodes = constantNodes;
        _graph.Graph.Input.Add(GraphBuilder.Value(inputName, TensorProto.Types.DataType.Float, [batch, .. dims.Select(d => (long?)d)]));
        Current = inputName;
    }

    public string Current { get; private set; }

    public GraphBuilder Graph => _graph;

    /// <summary>nn.Conv2d as PyTorch exports it (every attribute written, <c>group</c> too; weights [out, in / groups, k, k]).</summary>
    public TorchStyleGraph Conv(string name, int inChannels, int outChannels, int kernel, int padding = 0, int stride = 1, bool bias = true, int groups = 1)
    {
        int perGroup = inChannels / groups;
        string w = Floats($"{name}.weight", Random(outChannels * perGroup * kernel * kernel, 1 / Math.Sqrt(perGroup * kernel * kernel)), outChannels, perGroup, kernel, kernel);
        List<string> inputs = [Current, w];
        if (bias) inputs.Add(Floats($"{name}.bias", Random(outChannels, 0.1), outChannels));
        return Op("Conv", $"/{name}/Conv", inputs,
            GraphBuilder.Ints("dilations", 1, 1), GraphBuilder.Int("group", groups), GraphBuilder.Ints("kernel_shape", kernel, kernel),
            GraphBuilder.Ints("pads", padding, padding, padding, padding), GraphBuilder.Ints("strides", stride, stride));
    }

    public TorchStyleGraph BatchNorm(string name, int channels)
    {
        string scale = Floats($"{name}.weight", Random(channels, 0.3).Select(v => v + 1).ToArray(), channels);
        string shift = Floats($"{name}.bias", Random(channels, 0.1), channels);
        string mean = Floats($"{name}.running_mean", Random(channels, 0.2), channels);
        string variance = Floats($"{name}.running_var", Random(channels, 0.2).Select(v => Math.Abs(v) + 0.5f).ToArray(), channels);
        return Op("BatchNormalization", $"/{name}/BatchNormalization", [Current, scale, shift, mean, variance], GraphBuilder.Float("epsilon", 1e-5f), GraphBuilder.Float("momentum", 0.9f));
    }

    /// <summary>BatchNorm1d on [N, C], as PyTorch exports it: Unsqueeze to [N, C, 1], BatchNormalization, Squeeze back.</summary>
    public TorchStyleGraph BatchNorm1d(string name, int features)
    {
        Unsqueeze(2);
        BatchNorm(name, features);
        return _opset >= 13
            ? Op("Squeeze", $"/{name}/Squeeze", [Current, Int64s($"/{name}/Constant_1_output_0", [2], 1)])
            : Op("Squeeze", $"/{name}/Squeeze", [Current], GraphBuilder.Ints("axes", 2));
    }

    /// <summary>Unsqueeze, axes as an attribute before opset 13 and as an input from 13.</summary>
    public TorchStyleGraph Unsqueeze(params long[] axes) => _opset >= 13
        ? Op("Unsqueeze", $"/Unsqueeze_{_count}", [Current, Int64s($"/Constant_output_{_count++}", axes, axes.Length)])
        : Op("Unsqueeze", $"/Unsqueeze_{_count}", [Current], GraphBuilder.Ints("axes", axes));

    public TorchStyleGraph Transpose(params long[] perm) => Op("Transpose", $"/Transpose_{_count}", [Current], GraphBuilder.Ints("perm", perm));

    /// <summary>A Keras Dense layer as tf2onnx writes it: MatMul with the [in, out] kernel, then Add of the bias (activation first).</summary>
    public TorchStyleGraph KerasDense(string name, int inFeatures, int outFeatures)
    {
        string w = Floats($"{name}/MatMul/ReadVariableOp:0", Random(inFeatures * outFeatures, 1 / Math.Sqrt(inFeatures)), inFeatures, outFeatures);
        Op("MatMul", $"{name}/MatMul", [Current, w]);
        return Op("Add", $"{name}/BiasAdd", [Current, Floats($"{name}/BiasAdd/ReadVariableOp:0", Random(outFeatures, 0.1), outFeatures)]);
    }

    /// <summary>
    /// A Keras DepthwiseConv2D as tf2onnx writes it: Conv with <c>group</c> = channels, the depthwise
    /// kernel transposed to [channels * multiplier, 1, k, k], no dilations or pads written.
    /// </summary>
    public TorchStyleGraph KerasDepthwiseConv(string name, int channels, int multiplier, int kernel, string autoPad = "VALID")
    {
        string w = Floats($"{name}/depthwise/ReadVariableOp:0", Random(channels * multiplier * kernel * kernel, 1 / Math.Sqrt(kernel * kernel)), channels * multiplier, 1, kernel, kernel);
        string b = Floats($"{name}/BiasAdd/ReadVariableOp:0", Random(channels * multiplier, 0.1), channels * multiplier);
        return Op("Conv", $"{name}/BiasAdd", [Current, w, b], GraphBuilder.Int("group", channels), GraphBuilder.Ints("kernel_shape", kernel, kernel), GraphBuilder.Ints("strides", 1, 1), GraphBuilder.String("auto_pad", autoPad));
    }

    /// <summary>A Keras Conv2D on NCHW (tf2onnx transposes the kernel to OIHW), with Conv's attributes as tf2onnx writes them.</summary>
    public TorchStyleGraph KerasConv(string name, int inChannels, int outChannels, int kernel, string autoPad = "VALID")
    {
        string w = Floats($"{name}/Conv2D/ReadVariableOp:0", Random(outChannels * inChannels * kernel * kernel, 1 / Math.Sqrt(inChannels * kernel * kernel)), outChannels, inChannels, kernel, kernel);
        string b = Floats($"{name}/BiasAdd/ReadVariableOp:0", Random(outChannels, 0.1), outChannels);
        return Op("Conv", $"{name}/BiasAdd", [Current, w, b], GraphBuilder.Ints("dilations", 1, 1), GraphBuilder.Ints("kernel_shape", kernel, kernel), GraphBuilder.Ints("strides", 1, 1), GraphBuilder.String("auto_pad", autoPad));
    }

    /// <summary>A BatchNormalization whose scales are all positive (it commutes with a max pool).</summary>
    public TorchStyleGraph PositiveBatchNorm(string name, int channels)
    {
        string scale = Floats($"{name}.weight", Random(channels, 0.3).Select(v => Math.Abs(v) + 0.5f).ToArray(), channels);
        string shift = Floats($"{name}.bias", Random(channels, 0.1), channels);
        string mean = Floats($"{name}.running_mean", Random(channels, 0.2), channels);
        string variance = Floats($"{name}.running_var", Random(channels, 0.2).Select(v => Math.Abs(v) + 0.5f).ToArray(), channels);
        return Op("BatchNormalization", $"/{name}/BatchNormalization", [Current, scale, shift, mean, variance], GraphBuilder.Float("epsilon", 1e-5f));
    }

    /// <summary>
    /// <c>F.pad(x, (p, p, p, p))</c> as PyTorch exports it: pads as an attribute before opset 11, as an
    /// int64 input (with a constant value input) from 11; <paramref name="value"/> and <paramref name="mode"/> for refusals.
    /// </summary>
    public TorchStyleGraph Pad(int p, float value = 0, string mode = "constant", long[]? pads = null)
    {
        long[] all = pads ?? [0, 0, p, p, 0, 0, p, p];
        AttributeProto[] modeAttribute = [GraphBuilder.String("mode", mode)];
        return _opset >= 11
            ? Op("Pad", $"/Pad_{_count}", [Current, Int64s($"/Constant_output_{_count++}", all, all.Length), Floats($"/Constant_1_output_{_count++}", [value])], modeAttribute)
            : Op("Pad", $"/Pad_{_count}", [Current], [.. modeAttribute, GraphBuilder.Ints("pads", all), GraphBuilder.Float("value", value)]);
    }

    /// <summary>Continues from an earlier value (the other branch of a residual block).</summary>
    public TorchStyleGraph From(string value)
    {
        Current = value;
        return this;
    }

    /// <summary>The residual Add of the current value and <paramref name="other"/>, as <c>out += identity</c> is written.</summary>
    public TorchStyleGraph Add(string name, string other) => Op("Add", name, [Current, other]);

    public TorchStyleGraph Relu() => Op("Relu", $"/Relu_{_count}", [Current]);

    /// <summary>MaxPool; ceil_mode exists from opset 10, and PyTorch writes it from there.</summary>
    public TorchStyleGraph MaxPool(int kernel, int stride) =>
        Op("MaxPool", $"/MaxPool_{_count}", [Current], [.. CeilMode(), GraphBuilder.Ints("kernel_shape", kernel, kernel),
            GraphBuilder.Ints("pads", 0, 0, 0, 0), GraphBuilder.Ints("strides", stride, stride)]);

    public TorchStyleGraph AveragePool(int kernel, int stride) =>
        Op("AveragePool", $"/AveragePool_{_count}", [Current], [.. CeilMode(), GraphBuilder.Int("count_include_pad", 1),
            GraphBuilder.Ints("kernel_shape", kernel, kernel), GraphBuilder.Ints("pads", 0, 0, 0, 0), GraphBuilder.Ints("strides", stride, stride)]);

    public TorchStyleGraph GlobalAveragePool() => Op("GlobalAveragePool", $"/GlobalAveragePool_{_count}", [Current]);

    public TorchStyleGraph Flatten() => Op("Flatten", $"/Flatten_{_count}", [Current], GraphBuilder.Int("axis", 1));

    public TorchStyleGraph Dropout() => _opset >= 12
        ? Op("Dropout", $"/Dropout_{_count}", [Current])
        : Op("Dropout", $"/Dropout_{_count}", [Current], GraphBuilder.Float("ratio", 0.5f));

    public TorchStyleGraph Identity() => Op("Identity", $"/Identity_{_count}", [Current]);

    /// <summary><c>x.view(x.size(0), -1)</c>: Shape, Gather(0), Unsqueeze, Concat with [-1], Reshape.</summary>
    public TorchStyleGraph ViewBatchMinusOne()
    {
        string x = Current;
        string shape = _graph.Node("Shape", [x], $"/Shape_output_{_count++}");
        string index = Int64s($"/Constant_output_{_count++}", [0]);
        string batch = _graph.Node("Gather", [shape, index], $"/Gather_output_{_count++}", GraphBuilder.Int("axis", 0));
        string unsqueezed = _opset >= 13
            ? _graph.Node("Unsqueeze", [batch, Int64s($"/Constant_output_{_count++}", [0], 1)], $"/Unsqueeze_output_{_count++}")
            : _graph.Node("Unsqueeze", [batch], $"/Unsqueeze_output_{_count++}", GraphBuilder.Ints("axes", 0));
        string minusOne = Int64s($"/Constant_output_{_count++}", [-1], 1);
        string target = _graph.Node("Concat", [unsqueezed, minusOne], $"/Concat_output_{_count++}", GraphBuilder.Int("axis", 0));
        Current = _graph.Node("Reshape", [x, target], $"/Reshape_output_{_count++}");
        return this;
    }

    /// <summary><c>torch.flatten</c> traced with a static shape: Reshape to a constant [-1, features].</summary>
    public TorchStyleGraph ReshapeTo(params long[] shape) => Op("Reshape", $"/Reshape_{_count}", [Current, Int64s($"/Constant_output_{_count++}", shape, shape.Length)]);

    public TorchStyleGraph Gemm(string name, int inFeatures, int outFeatures)
    {
        string w = Floats($"{name}.weight", Random(outFeatures * inFeatures, 1 / Math.Sqrt(inFeatures)), outFeatures, inFeatures);
        string b = Floats($"{name}.bias", Random(outFeatures, 0.1), outFeatures);
        return Op("Gemm", $"/{name}/Gemm", [Current, w, b], GraphBuilder.Float("alpha", 1), GraphBuilder.Float("beta", 1), GraphBuilder.Int("transB", 1));
    }

    /// <summary>A linear layer as MatMul with the transposed weight, then Add of the bias.</summary>
    public TorchStyleGraph MatMulAdd(string name, int inFeatures, int outFeatures)
    {
        string w = Floats($"onnx::MatMul_{name}", Random(inFeatures * outFeatures, 1 / Math.Sqrt(inFeatures)), inFeatures, outFeatures);
        Op("MatMul", $"/{name}/MatMul", [Current, w]);
        return Op("Add", $"/{name}/Add", [Floats($"{name}.bias", Random(outFeatures, 0.1), outFeatures), Current]);
    }

    public TorchStyleGraph Elementwise(string opType, float value) => Op(opType, $"/{opType}_{_count}", [Current, Floats($"/Constant_output_{_count++}", [value])]);

    public TorchStyleGraph Softmax() => Op("Softmax", $"/Softmax_{_count}", [Current], GraphBuilder.Int("axis", 1));

    public TorchStyleGraph LogSoftmax() => Op("LogSoftmax", $"/LogSoftmax_{_count}", [Current], GraphBuilder.Int("axis", 1));

    public TorchStyleGraph Op(string opType, string name, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        Current = _graph.Node(opType, inputs, $"{name}_output_0", attributes);
        _graph.Graph.Node[^1].Name = name;
        _count++;
        return this;
    }

    public byte[] Finish(int classes)
    {
        _graph.Graph.Output.Add(GraphBuilder.Value(Current, TensorProto.Types.DataType.Float, _batch, classes));
        return _graph.ToBytes();
    }

    private AttributeProto[] CeilMode() => _opset >= 10 ? [GraphBuilder.Int("ceil_mode", 0)] : [];

    private float[] Random(int count, double scale) => Enumerable.Range(0, count).Select(_ => (float)((_random.NextDouble() * 2 - 1) * scale * Math.Sqrt(3))).ToArray();

    private string Floats(string name, float[] values, params long[] dims) => Constant(OnnxTensors.Float(name, values, dims));

    private string Int64s(string name, long[] values, params long[] dims) => Constant(OnnxTensors.Int64(name, values, dims));

    private string Constant(TensorProto tensor) => _constantNodes
        ? _graph.Node("Constant", [], tensor.Name, GraphBuilder.Tensor("value", tensor))
        : _graph.Initializer(tensor);
}
