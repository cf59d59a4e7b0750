using PotNet.Model;
using PotNet.Onnx.Proto;

namespace PotNet.Onnx;

/// <summary>The operators that act on the activation: each one adds or amends a layer.</summary>
internal sealed partial class GraphImporter
{
    private void ApplyToActivation(NodeProto node, ConstantTensor?[] constants, NodeAttributes attributes, Func<string, PotNetException> fail)
    {
        ComputeDraft? direct = _direct;
        _direct = null;
        switch (node.OpType)
        {
            case "Conv": Conv(node, constants, attributes, fail); break;
            case "Gemm": Gemm(node, constants, attributes, fail); break;
            case "MatMul": MatMul(node, constants, fail); break;
            case "Add" or "Sub" or "Mul" or "Div": Elementwise(node, constants, direct, fail); break;
            case "BatchNormalization": BatchNorm(constants, attributes, direct, fail); break;
            case "Relu": Relu(direct, fail); break;
            case "MaxPool" or "AveragePool": Pool(node, attributes, fail); break;
            case "GlobalAveragePool": GlobalAveragePool(node, fail); break;
            case "Flatten": Flatten(node, attributes, fail); break;
            case "Reshape": Reshape(node, constants, fail); break;
            case "Identity" or "Dropout": _direct = direct; break;
            case "Softmax" or "LogSoftmax": _softmaxed = true; break;
            default: throw Unsupported(node, fail);
        }
    }

    private static ConstantTensor Required(ConstantTensor?[] constants, int index, string what, Func<string, PotNetException> fail) =>
        index < constants.Length && constants[index] is { } t ? t : throw fail($"{what} (input {index}) must be a constant (an initializer or Constant node)");

    private void Conv(NodeProto node, ConstantTensor?[] constants, NodeAttributes attributes, Func<string, PotNetException> fail)
    {
        if (_vector) throw fail("Conv on a flattened tensor is not supported");
        ConstantTensor w = Required(constants, 1, "the weight", fail);
        if (w.Rank != 4) throw fail($"weight of shape {w}; expected [out, in, kh, kw]");
        attributes.Require("group", 1, "PotNet's convolutions have groups = 1");
        if ((attributes.Ints("dilations") ?? [1, 1]).Any(d => d != 1)) throw fail("dilations other than 1 are not supported");
        int outChannels = ToInt(w.Dims[0], "output channels", fail), kh = ToInt(w.Dims[2], "kernel height", fail), kw = ToInt(w.Dims[3], "kernel width", fail);
        if (w.Dims[1] != _shape.Channels) throw fail($"weight of shape {w} does not match the input's {_shape.Channels} channels");
        if (attributes.Ints("kernel_shape") is { } kernel && !kernel.SequenceEqual([w.Dims[2], w.Dims[3]])) throw fail("kernel_shape does not match the weight");
        int stride = SquareStride(attributes, fail);
        int padding = Padding(attributes, kh, kw, stride, fail);
        var geometry = new ConvGeometry(_shape.Channels, outChannels, kh, kw, stride, padding);
        double[] bias = Bias(constants, 2, outChannels, fail);
        AddCompute(new ComputeDraft(LayerName(node.Input[1], node.Name), geometry, dense: false, w.Data.ToArray(), bias));
    }

    private void Gemm(NodeProto node, ConstantTensor?[] constants, NodeAttributes attributes, Func<string, PotNetException> fail)
    {
        RequireVector(fail);
        attributes.Require("transA", 0, "the activation must be the first operand, untransposed");
        ConstantTensor b = Required(constants, 1, "B", fail);
        if (b.Rank != 2) throw fail($"B of shape {b}; expected a matrix");
        bool transB = attributes.Int("transB", 0) != 0;
        int inFeatures = ToInt(transB ? b.Dims[1] : b.Dims[0], "input features", fail), outFeatures = ToInt(transB ? b.Dims[0] : b.Dims[1], "output features", fail);
        if (inFeatures != _shape.Size) throw fail($"B of shape {b} does not take the input's {_shape.Size} features");
        double alpha = attributes.Float("alpha", 1), beta = attributes.Float("beta", 1);
        var weights = new double[outFeatures * inFeatures];
        for (int o = 0; o < outFeatures; o++)
        {
            for (int i = 0; i < inFeatures; i++) weights[o * inFeatures + i] = alpha * b.Data[transB ? o * inFeatures + i : i * outFeatures + o];
        }

        double[] bias = Bias(constants, 2, outFeatures, fail).Select(v => v * beta).ToArray();
        AddCompute(new ComputeDraft(LayerName(node.Input[1], node.Name), ConvGeometry.Dense(inFeatures, outFeatures), dense: true, weights, bias));
    }

    private void MatMul(NodeProto node, ConstantTensor?[] constants, Func<string, PotNetException> fail)
    {
        RequireVector(fail);
        if (node.Input[0] != _activation) throw fail("the activation must be the first operand");
        ConstantTensor b = Required(constants, 1, "the weight", fail);
        if (b.Rank != 2 || b.Dims[0] != _shape.Size) throw fail($"weight of shape {b} does not take the input's {_shape.Size} features");
        int inFeatures = _shape.Size, outFeatures = ToInt(b.Dims[1], "output features", fail);
        var weights = new double[outFeatures * inFeatures];
        for (int o = 0; o < outFeatures; o++)
        {
            for (int i = 0; i < inFeatures; i++) weights[o * inFeatures + i] = b.Data[i * outFeatures + o];
        }

        AddCompute(new ComputeDraft(LayerName(node.Input[1], node.Name), ConvGeometry.Dense(inFeatures, outFeatures), dense: true, weights, new double[outFeatures]));
    }

    private void AddCompute(ComputeDraft draft)
    {
        _layers.Add(draft);
        _shape = draft.Build().OutputShape(_shape);
        _direct = draft;
        _reluTarget = draft;
    }

    /// <summary>
    /// Add after a Conv/Gemm/MatMul is its bias; Add, Sub, Mul and Div with constants before the first
    /// weighted layer are input normalisation, folded into that layer.
    /// </summary>
    private void Elementwise(NodeProto node, ConstantTensor?[] constants, ComputeDraft? direct, Func<string, PotNetException> fail)
    {
        int constantIndex = node.Input[0] == _activation ? 1 : 0;
        ConstantTensor c = Required(constants, constantIndex, "the other operand", fail);
        if (direct is not null && node.OpType == "Add")
        {
            direct.AddBias(PerChannel(c, direct.Geometry.OutChannels, fail));
            _direct = direct;
            _reluTarget = direct;
            return;
        }

        if (_layers.OfType<ComputeDraft>().Any()) throw fail($"{node.OpType} on the activation is supported as a bias (Add right after Conv, Gemm or MatMul) or as input normalisation before the first weighted layer");
        if (constantIndex == 0 && node.OpType is "Sub" or "Div") throw fail($"{node.OpType} of a constant by the input is not an affine normalisation");
        double[] values = PerChannel(c, _input.Channels, fail);
        for (int ch = 0; ch < values.Length; ch++)
        {
            (double a, double b) = node.OpType switch
            {
                "Add" => (1.0, values[ch]),
                "Sub" => (1.0, -values[ch]),
                "Mul" => (values[ch], 0.0),
                _ => (1 / values[ch], 0.0),
            };
            _affineA[ch] *= a;
            _affineB[ch] = _affineB[ch] * a + b;
        }
    }

    /// <summary>
    /// One value per channel from a constant that broadcasts along the channel axis of the activation
    /// ([N, C, H, W] or [N, C]): a scalar, or a shape whose only dimension other than 1 is the channel's.
    /// </summary>
    private double[] PerChannel(ConstantTensor c, int channels, Func<string, PotNetException> fail)
    {
        int rank = _vector ? 2 : 4;
        long[] aligned = [.. Enumerable.Repeat(1L, Math.Max(0, rank - c.Rank)), .. c.Dims];
        bool broadcasts = c.Data.Length == 1 || (aligned.Length == rank && aligned.Select((d, i) => i == 1 ? d == channels : d == 1).All(ok => ok));
        if (!broadcasts) throw fail($"constant of shape {c} does not broadcast per channel over the activation ({(_vector ? $"[N, {_shape.Size}]" : $"[N, {_shape.Channels}, {_shape.Height}, {_shape.Width}]")})");
        if (c.Data.Any(double.IsNaN)) throw fail("the constant depends on the batch size");
        return c.Data.Length == 1 ? Enumerable.Repeat(c.Data[0], channels).ToArray() : c.Data.ToArray();
    }

    private static double[] Bias(ConstantTensor?[] constants, int index, int channels, Func<string, PotNetException> fail)
    {
        if (index >= constants.Length || constants[index] is not { } c) return new double[channels];
        if (c.Data.Length != channels && c.Data.Length != 1) throw fail($"bias of shape {c}; expected {channels} values");
        return c.Data.Length == 1 ? Enumerable.Repeat(c.Data[0], channels).ToArray() : c.Data.ToArray();
    }

    private void BatchNorm(ConstantTensor?[] constants, NodeAttributes attributes, ComputeDraft? direct, Func<string, PotNetException> fail)
    {
        if (direct is null) throw fail("BatchNormalization is folded into the Conv, Gemm or MatMul right before it, and there is none");
        attributes.Require("training_mode", 0, "inference graphs only");
        int channels = direct.Geometry.OutChannels;
        double[] Get(int i, string what)
        {
            ConstantTensor t = Required(constants, i, what, fail);
            return t.Data.Length == channels ? t.Data : throw fail($"{what} has {t.Data.Length} values, expected {channels}");
        }

        direct.FoldBatchNorm(Get(1, "scale"), Get(2, "B"), Get(3, "mean"), Get(4, "var"), attributes.Float("epsilon", 1e-5f));
        _direct = direct;
        _reluTarget = direct;
    }

    /// <summary>
    /// ReLU sets the flag of the weighted layer before it; max pooling and flattening between them
    /// commute with it. Before any weighted layer it is the identity on non-negative pixels.
    /// </summary>
    private void Relu(ComputeDraft? direct, Func<string, PotNetException> fail)
    {
        ComputeDraft? target = direct ?? _reluTarget;
        if (target is not null)
        {
            target.Relu = true;
            _reluTarget = target;
            return;
        }

        if (_layers.OfType<ComputeDraft>().Any()) throw fail("Relu after an average pool cannot move to the weighted layer before it (it does not commute)");
        if (_affineA.Any(a => a <= 0) || _affineB.Any(b => b < 0)) throw fail("Relu on a normalised input that can be negative is not supported");
    }

    private void Pool(NodeProto node, NodeAttributes attributes, Func<string, PotNetException> fail)
    {
        if (_vector) throw fail("pooling a flattened tensor is not supported");
        long[] kernel = attributes.Ints("kernel_shape") ?? throw fail("kernel_shape is missing");
        if (kernel.Length != 2 || kernel[0] != kernel[1]) throw fail($"kernel [{string.Join(", ", kernel)}]: PotNet pools square windows");
        if ((attributes.Ints("pads") ?? []).Any(p => p != 0) || attributes.String("auto_pad", "NOTSET") is not ("NOTSET" or "VALID" or ""))
        {
            throw fail("padded pooling is not supported");
        }

        attributes.Require("ceil_mode", 0, "PotNet drops windows that do not fit (floor mode)");
        if ((attributes.Ints("dilations") ?? [1, 1]).Any(d => d != 1)) throw fail("dilations other than 1 are not supported");
        if (node.Output.Count > 1 && node.Output[1].Length > 0) throw fail("the indices output is not supported");
        int k = ToInt(kernel[0], "kernel", fail), stride = SquareStride(attributes, fail);
        bool average = node.OpType == "AveragePool";
        if (average && !IsPowerOfTwo(k)) throw fail($"kernel {k}x{k}: PotNet averages only power-of-two windows (1, 2, 4, ...), dividing by a shift");
        if (average) _reluTarget = null;
        string name = LayerName(node.Name, node.OpType.ToLowerInvariant());
        AddFixed(average ? new AvgPool2d(name, k, stride) : new MaxPool2d(name, k, stride));
    }

    private void GlobalAveragePool(NodeProto node, Func<string, PotNetException> fail)
    {
        if (_vector) throw fail("pooling a flattened tensor is not supported");
        if (_shape.Height != _shape.Width || !IsPowerOfTwo(_shape.Height))
        {
            throw fail($"the input is {_shape.Height}x{_shape.Width}; PotNet averages only square power-of-two windows (dividing by a shift), so it cannot average this one");
        }

        _reluTarget = null;
        AddFixed(new AvgPool2d(LayerName(node.Name, "globalaveragepool"), _shape.Height, _shape.Height));
    }

    private void Flatten(NodeProto node, NodeAttributes attributes, Func<string, PotNetException> fail)
    {
        attributes.Require("axis", 1, "PotNet flattens all but the batch");
        if (!_vector) AddFlatten(node);
    }

    /// <summary>A Reshape that flattens [N, C, H, W] to [N, C*H*W] (or leaves the shape as it is).</summary>
    private void Reshape(NodeProto node, ConstantTensor?[] constants, Func<string, PotNetException> fail)
    {
        ConstantTensor target = Required(constants, 1, "the shape", fail);
        if (target.Rank != 1) throw fail($"shape of shape {target}; expected a vector");
        long[] current = _vector ? [-2, _shape.Size] : [-2, _shape.Channels, _shape.Height, _shape.Width];
        var dims = new long[target.Data.Length];
        int inferred = -1;
        for (int i = 0; i < dims.Length; i++)
        {
            double v = target.Data[i];
            if (double.IsNaN(v)) dims[i] = i == 0 ? -2 : throw fail("only the first dimension may be the batch size");
            else if (v == 0 && i < current.Length) dims[i] = current[i];
            else if (v == -1 && inferred < 0) inferred = i;
            else if (v >= 1 && v <= 1 << 30) dims[i] = (long)v;
            else throw fail($"dimension {v} is not supported");
        }

        if (dims.Length == 0) throw fail("reshaping to a scalar is not supported");
        if (dims[0] == 1 || (inferred == 0 && dims.Length > 1)) dims[0] = -2;
        long known = dims.Where((d, i) => i != 0 && i != inferred).Aggregate(1L, (p, d) => p * d);
        if (inferred > 0) dims[inferred] = known > 0 && _shape.Size % known == 0 ? _shape.Size / known : throw fail($"shape [{string.Join(", ", target.Data)}] does not divide {_shape.Size} features");
        bool flattens = dims.Length == 2 && dims[0] == -2 && dims[1] == _shape.Size;
        bool unchanged = dims.SequenceEqual(current) || (_shape.Height == 1 && _shape.Width == 1 && dims.SequenceEqual([-2, _shape.Channels, 1, 1]));
        if (flattens && !_vector) AddFlatten(node);
        else if (unchanged && dims.Length == 4) _vector = false;
        else if (!flattens && !unchanged) throw fail($"reshaping [N, {string.Join(", ", current.Skip(1))}] to [{string.Join(", ", dims.Select(d => d == -2 ? "N" : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]: PotNet imports reshapes that flatten to [N, features]");
    }

    private void AddFlatten(NodeProto node)
    {
        AddFixed(new Flatten(LayerName(node.Name, "flatten")));
        _vector = true;
    }

    private void AddFixed(Layer layer)
    {
        _layers.Add(new FixedDraft(layer));
        _shape = layer.OutputShape(_shape);
    }

    private void RequireVector(Func<string, PotNetException> fail)
    {
        if (!_vector && (_shape.Height != 1 || _shape.Width != 1)) throw fail($"the input is [N, {_shape.Channels}, {_shape.Height}, {_shape.Width}]; flatten it first");
        if (!_vector) AddFixed(new Flatten(LayerName("", "flatten")));
        _vector = true;
    }

    private static int SquareStride(NodeAttributes attributes, Func<string, PotNetException> fail)
    {
        long[] strides = attributes.Ints("strides") ?? [1, 1];
        if (strides.Length != 2 || strides[0] != strides[1]) throw fail($"strides [{string.Join(", ", strides)}]: PotNet's strides are equal in both directions");
        return ToInt(strides[0], "stride", fail);
    }

    /// <summary>One symmetric padding for all four sides, from pads or auto_pad.</summary>
    private static int Padding(NodeAttributes attributes, int kh, int kw, int stride, Func<string, PotNetException> fail)
    {
        string autoPad = attributes.String("auto_pad", "NOTSET");
        if (autoPad is "SAME_UPPER" or "SAME_LOWER")
        {
            if (kh != kw || kh % 2 == 0 || stride != 1) throw fail($"auto_pad {autoPad} is supported for odd square kernels with stride 1 only");
            return kh / 2;
        }

        if (autoPad is not ("NOTSET" or "VALID" or "")) throw fail($"auto_pad {autoPad} is not supported");
        long[] pads = attributes.Ints("pads") ?? [0, 0, 0, 0];
        if (pads.Length != 4 || pads.Distinct().Count() != 1) throw fail($"pads [{string.Join(", ", pads)}]: PotNet pads all four sides alike");
        return ToInt(pads[0], "padding", fail);
    }

    /// <summary>
    /// Folds the input normalisation (<see cref="InputNormalization"/> and any Add/Sub/Mul/Div before
    /// the first weighted layer) into that layer. Exact, except that zero padding of the first layer
    /// then stands for the normalised value 0 in the model but for pixel 0 here.
    /// </summary>
    private void FoldInputNormalization()
    {
        int firstIndex = _layers.FindIndex(l => l is ComputeDraft);
        var first = (ComputeDraft)_layers[firstIndex];
        if (_affineA.All(a => a == 1) && _affineB.All(b => b == 0)) return;
        if (_layers.Take(firstIndex).Any(l => l is FixedDraft { Layer: MaxPool2d }) && _affineA.Any(a => a < 0))
        {
            throw new PotNetException("the input normalisation has a negative scale and a max pool comes before the first weighted layer: it cannot be folded");
        }

        int featuresPerChannel = first.Geometry.InChannels / _input.Channels * first.Geometry.KernelHeight * first.Geometry.KernelWidth;
        first.FoldInputAffine(k => (_affineA[k / featuresPerChannel], _affineB[k / featuresPerChannel]));
        if (first.Geometry.Padding > 0 && _affineB.Any(b => b != 0))
        {
            _warnings.Add($"layer '{first.Name}': the input normalisation's offset is folded into the bias, so at the zero-padded border the imported model sees pixel 0 where the ONNX model sees normalised 0; outputs near the border differ slightly");
        }
    }
}
