using System.Numerics;
using PotNet.Model;

namespace PotNet.Onnx.Graph;

/// <summary>Each ONNX operator on an activation becomes one import-graph node with its output dimensions.</summary>
internal sealed partial class Lowering
{
    private IrNode Lower(OnnxOperator op)
    {
        string x = op.Activations[0];
        long[] dims = _activations[x];
        if (op.Activations.Length > 1 || op.Node.Input.Count(n => n == x) > 1) return TwoActivations(op);
        return op.OpType switch
        {
            "Conv" => Conv(op, x, dims),
            "Gemm" => Gemm(op, x, dims),
            "MatMul" => MatMul(op, x, dims),
            "Add" or "Sub" or "Mul" or "Div" => Elementwise(op, x, dims),
            "BatchNormalization" => BatchNorm(op, x, dims),
            "Relu" => new ReluNode(op.Name, x, op.Output, dims),
            "MaxPool" or "AveragePool" => Pool(op, x, dims),
            "Pad" => Pad(op, x, dims),
            "GlobalAveragePool" => GlobalAveragePool(op, x, dims),
            "Transpose" => Views.Transpose(op, x, dims),
            "Flatten" or "Reshape" or "Squeeze" or "Unsqueeze" => new ViewNode(op.OpType, op.Name, x, op.Output, Views.Dims(op, dims, _fixedBatch)),
            "Identity" or "Dropout" => PassThrough(op, x, dims),
            "Cast" => (Proto.TensorProto.Types.DataType)op.Attributes.Int("to", 1) == Proto.TensorProto.Types.DataType.Float
                ? PassThrough(op, x, dims) : throw op.Fail("casting the activation to another type than float is not supported"),
            "Softmax" or "LogSoftmax" => new SoftmaxNode(op.OpType, op.Name, x, op.Output, dims),
            _ when Messages.Activations.Contains(op.OpType) => throw op.Fail(Messages.Activation(op.OpType, Follows(x))),
            _ when ConstantFolding.Operators.Contains(op.OpType) || op.OpType == "Shape" => throw op.Fail(Messages.ConstantOnly(op.OpType, x)),
            _ => throw op.Fail(Messages.Unsupported(op.OpType)),
        };
    }

    /// <summary>What the activation <paramref name="value"/> comes out of, for messages: a layer, or the input.</summary>
    private string Follows(string value)
    {
        for (IrNode? node = _nodes.Find(n => n.Output == value); node is not null; node = _nodes.Find(n => n.Output == node.Inputs[0]))
        {
            switch (node)
            {
                case WeightedNode weighted: return $"layer '{weighted.LayerName}' ({weighted.OpType})";
                case PoolNode or ReluNode: return $"{node.Where}";
            }
        }

        return "the input";
    }

    /// <summary>An Add of two activations is a residual connection; other operators of two activations are refused.</summary>
    private AddNode TwoActivations(OnnxOperator op)
    {
        string[] operands = [.. op.Node.Input.Where(_activations.ContainsKey)];
        if (op.OpType != "Add" || operands.Length != 2)
        {
            throw op.Fail($"it reads {operands.Length} activations ({string.Join(" and ", operands.Distinct().Select(a => $"'{a}'"))}); PotNet imports {op.OpType} of an activation and a constant only, and Add of two activations (a residual connection)");
        }

        long[] first = _activations[operands[0]], second = _activations[operands[1]];
        if (!first.SequenceEqual(second))
        {
            throw op.Fail($"it adds {IrNode.Text(first)} and {IrNode.Text(second)}; PotNet adds two activations of the same shape only (no broadcasting)");
        }

        return new AddNode(op.Name, operands[0], operands[1], op.Output, first);
    }

    /// <summary>
    /// A Pad with zeros, the same on every side of H and W and none on N and C, as PyTorch writes
    /// <c>F.pad(x, (p, p, p, p))</c> (pads an attribute before opset 11, an input from 11).
    /// </summary>
    private static PadNode Pad(OnnxOperator op, string x, long[] dims)
    {
        RequireRank(op, dims, 3, "PotNet folds a Pad of an image [N, C, H, W] into the convolution after it");
        string mode = op.Attributes.String("mode", "constant");
        if (mode != "constant") throw op.Fail($"mode '{mode}' is not supported: PotNet folds a Pad into the convolution after it only when it pads with zeros");
        // Opset 11 moved pads and the value from attributes to inputs; the node's form says which it is.
        bool inputs = op.Node.Input.Count > 1;
        double value = inputs ? op.Optional(2, "constant_value")?.Data.SingleOrDefault() ?? 0 : op.Attributes.Float("value", 0);
        if (value != 0) throw op.Fail($"it pads with {value}; PotNet folds a Pad into the convolution after it only when it pads with zeros");
        if (op.Optional(3, "axes") is not null) throw op.Fail("the axes input is not supported: give pads for all four dimensions");
        long[] pads = inputs ? [.. op.Required(1, "pads").Data.Select(v => (long)v)] : op.Attributes.Ints("pads") ?? [];
        if (pads.Length != 8 || pads[0] != 0 || pads[1] != 0 || pads[4] != 0 || pads[5] != 0 || new[] { pads[2], pads[3], pads[6], pads[7] }.Distinct().Count() != 1 || pads[2] < 0)
        {
            throw op.Fail($"pads [{string.Join(", ", pads)}]: PotNet folds a Pad into a convolution only when it pads H and W alike on all four sides, and N and C not at all");
        }

        int padding = ToInt(pads[2], "padding", op.Fail);
        return new PadNode(op.Name, x, op.Output, [dims[0], dims[1] + 2 * padding, dims[2] + 2 * padding], padding);
    }

    private static PassThroughNode PassThrough(OnnxOperator op, string x, long[] dims)
    {
        if (op.OpType == "Dropout" && op.Node.Output.Count > 1 && op.Node.Output[1].Length > 0) throw op.Fail("the mask output is not supported");
        if (op.OpType == "Dropout" && op.Optional(2, "training_mode") is { } training && training.Data.Any(v => v != 0)) throw op.Fail("training_mode must be false (inference graphs only)");
        return new PassThroughNode(op.OpType, op.Name, x, op.Output, dims);
    }

    private static void RequireRank(OnnxOperator op, long[] dims, int rank, string what)
    {
        if (dims.Length != rank) throw op.Fail($"{what}; here the activation is {IrNode.Text(dims)}");
    }

    private static WeightedNode Conv(OnnxOperator op, string x, long[] dims)
    {
        RequireRank(op, dims, 3, "Conv reads an image [N, C, H, W]");
        ConstantTensor w = op.Required(1, "the weight");
        if (w.Rank != 4) throw op.Fail($"weight of shape {w}; expected [out, in / group, kh, kw]");
        if ((op.Attributes.Ints("dilations") ?? [1, 1]).Any(d => d != 1)) throw op.Fail("dilations other than 1 are not supported");
        int outChannels = ToInt(w.Dims[0], "output channels", op.Fail), kh = ToInt(w.Dims[2], "kernel height", op.Fail), kw = ToInt(w.Dims[3], "kernel width", op.Fail);
        long group = op.Attributes.Int("group", 1);
        if (group < 1 || dims[0] % group != 0 || outChannels % group != 0)
        {
            throw op.Fail($"group {group} must divide the input's {dims[0]} channels and the {outChannels} output channels");
        }

        if (w.Dims[1] * group != dims[0]) throw op.Fail($"weight of shape {w} does not match the input's {dims[0]} channels in {group} group(s)");
        if (op.Attributes.Ints("kernel_shape") is { } kernel && !kernel.SequenceEqual([w.Dims[2], w.Dims[3]])) throw op.Fail("kernel_shape does not match the weight");
        int stride = SquareStride(op);
        int padding = Padding(op, kh, kw, stride);
        var geometry = new ConvGeometry((int)dims[0], outChannels, kh, kw, stride, padding, (int)group);
        long height = (dims[1] + 2 * padding - kh) / stride + 1, width = (dims[2] + 2 * padding - kw) / stride + 1;
        if (dims[1] + 2 * padding < kh || dims[2] + 2 * padding < kw) throw op.Fail($"kernel {kh}x{kw} is larger than the padded input {IrNode.Text(dims)}");
        double[] bias = Bias(op, 2, outChannels);
        return new WeightedNode("Conv", op.Name, x, op.Output, [outChannels, height, width], op.Node.Input[1], geometry, dense: false, dims, w.Data.ToArray(), bias);
    }

    private static WeightedNode Gemm(OnnxOperator op, string x, long[] dims)
    {
        RequireRank(op, dims, 1, "Gemm reads a matrix [N, features]");
        if (op.Node.Input[0] != x) throw op.Fail("the activation must be the first operand");
        op.Attributes.Require("transA", 0, "the activation must be the first operand, untransposed");
        ConstantTensor b = op.Required(1, "B");
        if (b.Rank != 2) throw op.Fail($"B of shape {b}; expected a matrix");
        bool transB = op.Attributes.Int("transB", 0) != 0;
        int inFeatures = ToInt(transB ? b.Dims[1] : b.Dims[0], "input features", op.Fail), outFeatures = ToInt(transB ? b.Dims[0] : b.Dims[1], "output features", op.Fail);
        if (inFeatures != dims[0]) throw op.Fail($"B of shape {b} does not take the input's {dims[0]} features");
        double alpha = op.Attributes.Float("alpha", 1), beta = op.Attributes.Float("beta", 1);
        var weights = new double[outFeatures * inFeatures];
        for (int o = 0; o < outFeatures; o++)
        {
            for (int i = 0; i < inFeatures; i++) weights[o * inFeatures + i] = alpha * b.Data[transB ? o * inFeatures + i : i * outFeatures + o];
        }

        double[] bias = Bias(op, 2, outFeatures).Select(v => v * beta).ToArray();
        return new WeightedNode("Gemm", op.Name, x, op.Output, [outFeatures], op.Node.Input[1], ConvGeometry.Dense(inFeatures, outFeatures), dense: true, dims, weights, bias);
    }

    private static WeightedNode MatMul(OnnxOperator op, string x, long[] dims)
    {
        RequireRank(op, dims, 1, "MatMul is imported as a dense layer over [N, features]");
        if (op.Node.Input[0] != x) throw op.Fail("the activation must be the first operand");
        ConstantTensor b = op.Required(1, "the weight");
        if (b.Rank != 2 || b.Dims[0] != dims[0]) throw op.Fail($"weight of shape {b} does not take the input's {dims[0]} features");
        int inFeatures = (int)dims[0], outFeatures = ToInt(b.Dims[1], "output features", op.Fail);
        var weights = new double[outFeatures * inFeatures];
        for (int o = 0; o < outFeatures; o++)
        {
            for (int i = 0; i < inFeatures; i++) weights[o * inFeatures + i] = b.Data[i * outFeatures + o];
        }

        return new WeightedNode("MatMul", op.Name, x, op.Output, [outFeatures], op.Node.Input[1], ConvGeometry.Dense(inFeatures, outFeatures), dense: true, dims, weights, new double[outFeatures]);
    }

    /// <summary>Add, Sub, Mul or Div by a constant that broadcasts over the activation: an affine map per element.</summary>
    private static AffineNode Elementwise(OnnxOperator op, string x, long[] dims)
    {
        int constantIndex = op.Node.Input[0] == x ? 1 : 0;
        ConstantTensor c = op.Required(constantIndex, "the other operand");
        if (constantIndex == 0 && op.OpType is "Sub" or "Div") throw op.Fail($"{op.OpType} of a constant by the activation is not an affine map of the activation");
        double[] values = Broadcast(op, c, dims);
        var a = new double[values.Length];
        var b = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            (a[i], b[i]) = op.OpType switch
            {
                "Add" => (1.0, values[i]),
                "Sub" => (1.0, -values[i]),
                "Mul" => (values[i], 0.0),
                _ => (1 / values[i], 0.0),
            };
        }

        return new AffineNode(op.OpType, op.Name, x, op.Output, dims, a, b);
    }

    /// <summary>A constant broadcast (NumPy rules) to one value per element of the activation; it must not grow the activation.</summary>
    private static double[] Broadcast(OnnxOperator op, ConstantTensor c, long[] dims)
    {
        long[] full = [1, .. dims];
        if (c.Rank > full.Length) throw op.Fail($"constant of shape {c} has more dimensions than the activation {IrNode.Text(dims)}");
        long[] aligned = [.. Enumerable.Repeat(1L, full.Length - c.Rank), .. c.Dims];
        for (int i = 0; i < full.Length; i++)
        {
            if (aligned[i] != 1 && aligned[i] != full[i]) throw op.Fail($"constant of shape {c} does not broadcast over the activation {IrNode.Text(dims)}");
        }

        if (c.Data.Any(double.IsNaN)) throw op.Fail("the constant depends on the batch size");
        long size = dims.Aggregate(1L, (p, d) => p * d);
        var values = new double[size];
        for (long e = 0; e < size; e++)
        {
            long rest = e, index = 0, stride = 1;
            for (int i = full.Length - 1; i >= 1; i--)
            {
                long coordinate = rest % full[i];
                rest /= full[i];
                if (aligned[i] != 1) index += coordinate * stride;
                stride *= aligned[i];
            }

            values[e] = c.Data[index];
        }

        return values;
    }

    private static AffineNode BatchNorm(OnnxOperator op, string x, long[] dims)
    {
        op.Attributes.Require("training_mode", 0, "inference graphs only");
        if (dims.Length == 0) throw op.Fail("the activation has no channel dimension");
        int channels = (int)dims[0];
        double[] Get(int i, string what)
        {
            ConstantTensor t = op.Required(i, what);
            return t.Data.Length == channels ? t.Data : throw op.Fail($"{what} has {t.Data.Length} values, expected {channels} (the activation {IrNode.Text(dims)} has {channels} channels)");
        }

        double[] scale = Get(1, "scale"), shift = Get(2, "B"), mean = Get(3, "mean"), variance = Get(4, "var");
        double epsilon = op.Attributes.Float("epsilon", 1e-5f);
        long size = dims.Aggregate(1L, (p, d) => p * d), block = size / channels;
        var a = new double[size];
        var b = new double[size];
        for (long e = 0; e < size; e++)
        {
            long c = e / block;
            a[e] = scale[c] / Math.Sqrt(variance[c] + epsilon);
            b[e] = shift[c] - mean[c] * a[e];
        }

        return new AffineNode("BatchNormalization", op.Name, x, op.Output, dims, a, b);
    }

    private static double[] Bias(OnnxOperator op, int index, int channels)
    {
        if (op.Optional(index, "the bias") is not { } c) return new double[channels];
        if (c.Data.Length != channels && c.Data.Length != 1) throw op.Fail($"bias of shape {c}; expected {channels} values");
        return c.Data.Length == 1 ? Enumerable.Repeat(c.Data[0], channels).ToArray() : c.Data.ToArray();
    }

    private static PoolNode Pool(OnnxOperator op, string x, long[] dims)
    {
        RequireRank(op, dims, 3, $"{op.OpType} reads an image [N, C, H, W]");
        long[] kernel = op.Attributes.Ints("kernel_shape") ?? throw op.Fail("kernel_shape is missing");
        if (kernel.Length != 2 || kernel[0] != kernel[1]) throw op.Fail($"kernel [{string.Join(", ", kernel)}]: PotNet pools square windows");
        if ((op.Attributes.Ints("pads") ?? []).Any(p => p != 0) || op.Attributes.String("auto_pad", "NOTSET") is not ("NOTSET" or "VALID" or ""))
        {
            throw op.Fail("padded pooling is not supported");
        }

        op.Attributes.Require("ceil_mode", 0, "PotNet drops windows that do not fit (floor mode)");
        if ((op.Attributes.Ints("dilations") ?? [1, 1]).Any(d => d != 1)) throw op.Fail("dilations other than 1 are not supported");
        if (op.Node.Output.Count > 1 && op.Node.Output[1].Length > 0) throw op.Fail("the indices output is not supported");
        int k = ToInt(kernel[0], "kernel", op.Fail), stride = SquareStride(op);
        bool average = op.OpType == "AveragePool";
        if (average && !BitOperations.IsPow2(k)) throw op.Fail($"kernel {k}x{k}: PotNet averages only power-of-two windows (1, 2, 4, ...), dividing by a shift");
        if (dims[1] < k || dims[2] < k) throw op.Fail($"kernel {k}x{k} is larger than the input {IrNode.Text(dims)}");
        return new PoolNode(op.OpType, op.Name, x, op.Output, [dims[0], (dims[1] - k) / stride + 1, (dims[2] - k) / stride + 1], dims, average, k, stride);
    }

    private static PoolNode GlobalAveragePool(OnnxOperator op, string x, long[] dims)
    {
        RequireRank(op, dims, 3, "GlobalAveragePool reads an image [N, C, H, W]");
        if (dims[1] != dims[2] || !BitOperations.IsPow2(dims[1]))
        {
            throw op.Fail($"the input is {dims[1]}x{dims[2]}; PotNet averages only square power-of-two windows (dividing by a shift), so it cannot average this one");
        }

        return new PoolNode(op.OpType, op.Name, x, op.Output, [dims[0], 1, 1], dims, average: true, (int)dims[1], (int)dims[1]);
    }

    private static int SquareStride(OnnxOperator op)
    {
        long[] strides = op.Attributes.Ints("strides") ?? [1, 1];
        if (strides.Length != 2 || strides[0] != strides[1]) throw op.Fail($"strides [{string.Join(", ", strides)}]: PotNet's strides are equal in both directions");
        return ToInt(strides[0], "stride", op.Fail);
    }

    /// <summary>One symmetric padding for all four sides, from pads or auto_pad.</summary>
    private static int Padding(OnnxOperator op, int kh, int kw, int stride)
    {
        string autoPad = op.Attributes.String("auto_pad", "NOTSET");
        if (autoPad is "SAME_UPPER" or "SAME_LOWER")
        {
            if (kh != kw || kh % 2 == 0 || stride != 1) throw op.Fail($"auto_pad {autoPad} is supported for odd square kernels with stride 1 only");
            return kh / 2;
        }

        if (autoPad is not ("NOTSET" or "VALID" or "")) throw op.Fail($"auto_pad {autoPad} is not supported");
        long[] pads = op.Attributes.Ints("pads") ?? [0, 0, 0, 0];
        if (pads.Length != 4 || pads.Distinct().Count() != 1) throw op.Fail($"pads [{string.Join(", ", pads)}]: PotNet pads all four sides alike");
        return ToInt(pads[0], "padding", op.Fail);
    }

    private static int ToInt(long value, string what, Func<string, PotNetException> fail) =>
        value is >= 0 and <= 1 << 24 ? (int)value : throw fail($"{what} {value} is out of range");
}
