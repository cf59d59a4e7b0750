using PotNet.Model;
using PotNet.Onnx.Proto;

namespace PotNet.Onnx;

/// <summary>
/// Writes PotNet layers as an ONNX graph (in order; <see cref="MoveTo"/> goes back to an earlier tensor for a branch): input "input" float [N, C, H, W], output "logits"
/// float [N, classes]. It tracks whether the running tensor is an image (rank 4) or a vector (rank 2)
/// and inserts the Flatten or Reshape that the next operator needs. What the weights and activations
/// hold (dequantised, QDQ, float) is the caller's choice.
/// </summary>
internal sealed class NetworkWriter
{
    /// <summary>Opset 17: per-axis QuantizeLinear/DequantizeLinear need 13; 17 is widely supported.</summary>
    public const int Opset = 17;

    private readonly Dictionary<string, string> _constants = new(StringComparer.Ordinal);
    private bool _vector;

    public NetworkWriter(string graphName, Shape input)
    {
        Graph = new GraphBuilder(Opset, graphName);
        Graph.Input("input", input.Channels, input.Height, input.Width);
        Current = "input";
    }

    public GraphBuilder Graph { get; }

    /// <summary>The name of the tensor the next layer reads.</summary>
    public string Current { get; private set; }

    /// <summary>Where the writer is: the current tensor and whether it is a vector (rank 2) or an image (rank 4).</summary>
    public (string Tensor, bool Vector) Position => (Current, _vector);

    /// <summary>Makes an earlier tensor current again: the next layer reads it (a residual branch).</summary>
    public void MoveTo((string Tensor, bool Vector) position) => (Current, _vector) = position;

    /// <summary>
    /// Adds <paramref name="other"/> to <see cref="Current"/> (both of shape <paramref name="shape"/>),
    /// first giving it the current tensor's rank, so that nothing broadcasts.
    /// </summary>
    public void Add(string layer, (string Tensor, bool Vector) other, Shape shape)
    {
        string operand = other.Tensor;
        if (other.Vector && !_vector) operand = Image(operand, shape);
        else if (!other.Vector && _vector) operand = Graph.Node("Flatten", [operand], $"{operand}_flat", GraphBuilder.Int("axis", 1));
        Current = Graph.Node("Add", [Current, operand], layer);
    }

    /// <summary>
    /// A convolution or dense layer reading <see cref="Current"/> of shape <paramref name="input"/>;
    /// <paramref name="weights"/> and <paramref name="bias"/> name float tensors. The last layer's
    /// output becomes "logits".
    /// </summary>
    /// <remarks>
    /// With <paramref name="paddingValues"/> (real, per input channel) the convolution reads
    /// <c>x - paddingValues</c>, whose zero padding is the value the layer's border reads; the caller's
    /// bias then carries <c>+ sum w * paddingValues</c> over every tap.
    /// </remarks>
    public void Weighted(string layer, ConvGeometry geometry, bool dense, Shape input, string weights, string bias, bool last, float[]? paddingValues = null)
    {
        string output = last ? "logits" : layer;
        if (dense)
        {
            ToVector();
            Current = Graph.Node("Gemm", [Current, weights, bias], output, GraphBuilder.Int("transB", 1));
            return;
        }

        ToImage(input);
        if (paddingValues is not null)
        {
            string values = Graph.Initializer(OnnxTensors.Float($"{layer}.padding_value", paddingValues, 1, paddingValues.Length, 1, 1));
            Current = Graph.Node("Sub", [Current, values], $"{layer}_unpadded");
        }

        // ONNX's group defaults to 1, so it is written only for grouped convolutions, as PyTorch writes it.
        string conv = Graph.Node("Conv", [Current, weights, bias], last ? layer : output,
            [
                GraphBuilder.Ints("kernel_shape", geometry.KernelHeight, geometry.KernelWidth),
                GraphBuilder.Ints("strides", geometry.Stride, geometry.Stride),
                GraphBuilder.Ints("pads", geometry.Padding, geometry.Padding, geometry.Padding, geometry.Padding),
                .. geometry.Groups == 1 ? Array.Empty<AttributeProto>() : [GraphBuilder.Int("group", geometry.Groups)],
            ]);
        Current = last ? Graph.Node("Flatten", [conv], output, GraphBuilder.Int("axis", 1)) : conv;
        _vector = last;
    }

    /// <summary>A max or average pool (floor mode, no padding).</summary>
    public void Pool(Pool2d pool, Shape input)
    {
        ToImage(input);
        Current = Graph.Node(pool is AvgPool2d ? "AveragePool" : "MaxPool", [Current], pool.Name,
            GraphBuilder.Ints("kernel_shape", pool.Kernel, pool.Kernel),
            GraphBuilder.Ints("strides", pool.Stride, pool.Stride));
    }

    /// <summary>PotNet's flatten (channel-major, as ONNX's Flatten with axis 1).</summary>
    public void Flatten(string layer) => ToVector(layer);

    /// <summary>Applies an elementwise operator with a constant second operand.</summary>
    public void Apply(string opType, string constant, string output) => Current = Graph.Node(opType, [Current, constant], output);

    /// <summary>Applies a unary elementwise operator.</summary>
    public void Apply(string opType, string output) => Current = Graph.Node(opType, [Current], output);

    /// <summary>
    /// Requantises <see cref="Current"/> to u8 with the scale 2^-<paramref name="exponent"/> and back to
    /// float: QuantizeLinear (rounding half to even, saturating to [0, 255], which is also the ReLU)
    /// then DequantizeLinear. The QDQ export's activations.
    /// </summary>
    public void Requantize(string output, int exponent)
    {
        string scale = Scalar("scale", Math.ScaleB(1, -exponent));
        string zero = Constant("zero_u8", () => OnnxTensors.UInt8("zero_u8", [0]));
        string q = Graph.Node("QuantizeLinear", [Current, scale, zero], $"{output}_q");
        Current = Graph.Node("DequantizeLinear", [q, scale, zero], $"{output}_dq");
    }

    /// <summary>
    /// PotNet's requantisation in float operators: <c>Clip(Floor(x * 2^f), 0, 255) * 2^-f</c>, after
    /// <c>+ 0.5</c> when <paramref name="addHalf"/> (otherwise the caller has put the half unit into the
    /// bias). Floor of the value plus a half is round half up, as PotNet rounds; the float export's activations.
    /// </summary>
    public void RequantizeInFloat(string output, int exponent, bool addHalf)
    {
        Apply("Mul", Scalar("scale", Math.ScaleB(1, exponent)), $"{output}_scaled");
        if (addHalf) Apply("Add", Scalar("value", 0.5), $"{output}_half");
        Apply("Floor", $"{output}_floor");
        Current = Graph.Node("Clip", [Current, Scalar("value", 0), Scalar("value", byte.MaxValue)], $"{output}_u8");
        Apply("Mul", Scalar("scale", Math.ScaleB(1, -exponent)), $"{output}_real");
    }

    /// <summary>A shared float scalar initializer.</summary>
    private string Scalar(string kind, double value)
    {
        string name = $"{kind}_{value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}";
        return Constant(name, () => OnnxTensors.Float(name, [(float)value]));
    }

    /// <summary>A shared scalar or small constant, added once under <paramref name="name"/>.</summary>
    public string Constant(string name, Func<TensorProto> create)
    {
        if (!_constants.TryGetValue(name, out string? existing))
        {
            existing = Graph.Initializer(create());
            _constants[name] = existing;
        }

        return existing;
    }

    /// <summary>The serialised model, with output "logits" [N, <paramref name="classes"/>].</summary>
    public byte[] Finish(int classes)
    {
        Graph.Output("logits", classes);
        return Graph.ToBytes();
    }

    private void ToVector(string? name = null)
    {
        if (_vector) return;
        Current = Graph.Node("Flatten", [Current], name ?? $"{Current}_flat", GraphBuilder.Int("axis", 1));
        _vector = true;
    }

    private void ToImage(Shape input)
    {
        if (!_vector) return;
        Current = Image(Current, input);
        _vector = false;
    }

    private string Image(string vector, Shape input)
    {
        string shape = Constant($"shape_{input.Channels}x{input.Height}x{input.Width}",
            () => OnnxTensors.Int64($"shape_{input.Channels}x{input.Height}x{input.Width}", [-1, input.Channels, input.Height, input.Width], 4));
        return Graph.Node("Reshape", [vector, shape], $"{vector}_image");
    }
}
