using PotNet.Model;

namespace PotNet.Engines;

/// <summary>
/// The semantics of a <see cref="QuantizedModel"/>, in plain loops and integer arithmetic only.
/// Every other engine, exported model and the generated hardware must equal it bit for bit, so it
/// stays small and obvious rather than fast.
/// </summary>
public sealed class ReferenceEngine
{
    private readonly QuantizedModel _model;
    private readonly int[]?[] _weights;
    private readonly int[]?[] _gather;

    /// <summary>Prepares the engine: decodes every layer's weights and index tables once.</summary>
    public ReferenceEngine(QuantizedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _weights = model.Layers.Select(l => (l as ComputeLayer)?.DecodeWeights()).ToArray();
        _gather = model.Plan.Select(p => p.Layer switch
        {
            ComputeLayer c => c.Geometry.Gather(p.Input, p.Output),
            Pool2d pool => pool.Windows(p.Input, p.Output),
            _ => null,
        }).ToArray();
    }

    /// <summary>The model this engine runs.</summary>
    public QuantizedModel Model => _model;

    /// <summary>Runs one image (u8, the model's input shape, CHW) and returns the logits.</summary>
    public int[] Infer(ReadOnlySpan<byte> image)
    {
        IReadOnlyList<byte[]> activations = LayerInputs(image);
        int source = _model.Plan[^1].Sources[0];
        return Accumulate(_model.Plan.Count - 1, activations[source + 1]);
    }

    /// <summary>
    /// The image, then the output of every layer but the last, in layer order: for a chain, the
    /// activations each layer reads, which a hardware trace or a debugger needs to see inside an inference.
    /// </summary>
    public IReadOnlyList<byte[]> LayerInputs(ReadOnlySpan<byte> image)
    {
        if (image.Length != _model.Input.Size)
        {
            throw new ArgumentException($"the image has {image.Length} bytes, the model takes {_model.Input} = {_model.Input.Size}", nameof(image));
        }

        var activations = new List<byte[]> { image.ToArray() };
        for (int i = 0; i < _model.Plan.Count - 1; i++)
        {
            activations.Add(Run(i, [.. _model.Plan[i].Sources.Select(s => activations[s + 1])]));
        }

        return activations;
    }

    /// <summary>The predicted class: the index of the largest logit.</summary>
    public int Classify(ReadOnlySpan<byte> image) => ArgMax(Infer(image));

    /// <summary>Index of the largest value, the lowest index on ties.</summary>
    public static int ArgMax(ReadOnlySpan<int> logits)
    {
        int best = 0;
        for (int i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best]) best = i;
        }

        return best;
    }

    private byte[] Run(int index, byte[][] inputs) => _model.Plan[index].Layer switch
    {
        ComputeLayer => Requantize(_model.Plan[index], AddResidual(_model.Plan[index], Accumulate(index, inputs[0]), inputs)),
        MaxPool2d pool => Pool(index, pool, inputs[0], sum: false),
        AvgPool2d pool => Pool(index, pool, inputs[0], sum: true),
        Flatten => inputs[0],
        ResidualAdd => Add(_model.Plan[index], inputs[0], inputs[1]),
        Layer other => throw new NotSupportedException($"layer type {other.TypeName}"),
    };

    /// <summary>
    /// The residual add: both inputs shifted left to the common exponent <c>F = max(fa, fb)</c>, summed
    /// exactly, then requantised by <c>r = F - f_out</c> (round half up, clamp: the ReLU).
    /// </summary>
    private static byte[] Add(LayerPlan step, byte[] a, byte[] b)
    {
        int shiftA = step.AlignShift(0), shiftB = step.AlignShift(1), r = step.RequantizeShift(0);
        var output = new byte[a.Length];
        for (int i = 0; i < output.Length; i++)
        {
            output[i] = Requantization.Requantize((a[i] << shiftA) + (b[i] << shiftB), r);
        }

        return output;
    }

    /// <summary>
    /// <c>bias + sum(w * x)</c> for every output (CHW), each output channel over its group's rows of the
    /// index table; a padded tap reads its input channel's padding value (0 by default).
    /// </summary>
    private int[] Accumulate(int index, byte[] input)
    {
        LayerPlan step = _model.Plan[index];
        var layer = (ComputeLayer)step.Layer;
        int[] weights = _weights[index]!, gather = _gather[index]!;
        int fanIn = layer.Geometry.FanIn, positions = step.Output.Height * step.Output.Width;
        var output = new int[step.Output.Size];
        for (int co = 0; co < layer.Geometry.OutChannels; co++)
        {
            int group = layer.Geometry.GroupOf(co);
            for (int p = 0; p < positions; p++)
            {
                int acc = layer.Bias[co];
                for (int k = 0; k < fanIn; k++)
                {
                    int x = gather[(group * positions + p) * fanIn + k];
                    acc += weights[co * fanIn + k] * (x >= 0 ? input[x] : layer.PaddingValue(group, k));
                }

                output[co * positions + p] = acc;
            }
        }

        return output;
    }

    /// <summary>
    /// A weighted layer's residual source (its last input, the layer's output shape, CHW) added into the
    /// accumulators before requantisation: <c>acc += x &lt;&lt; (f_in + g - e_x)</c> per output channel,
    /// exact (the shift is never negative and the widened bound fits int32). No-op without one.
    /// </summary>
    private static int[] AddResidual(LayerPlan step, int[] accumulators, byte[][] inputs)
    {
        if (step.Layer.Residual is null) return accumulators;
        byte[] x = inputs[^1];
        int positions = step.Output.Height * step.Output.Width;
        for (int i = 0; i < accumulators.Length; i++) accumulators[i] += x[i] << step.ResidualShift(i / positions);
        return accumulators;
    }

    private static byte[] Requantize(LayerPlan step, int[] accumulators)
    {
        int positions = step.Output.Height * step.Output.Width;
        var output = new byte[accumulators.Length];
        for (int i = 0; i < accumulators.Length; i++)
        {
            output[i] = Requantization.Requantize(accumulators[i], step.RequantizeShift(i / positions));
        }

        return output;
    }

    /// <summary>Max pooling, or average pooling as a sum and a rounding shift.</summary>
    private byte[] Pool(int index, Pool2d pool, byte[] input, bool sum)
    {
        int[] windows = _gather[index]!;
        int size = pool.Kernel * pool.Kernel;
        var output = new byte[_model.Plan[index].Output.Size];
        for (int o = 0; o < output.Length; o++)
        {
            int total = 0, max = 0;
            for (int k = 0; k < size; k++)
            {
                byte x = input[windows[o * size + k]];
                total += x;
                max = Math.Max(max, x);
            }

            output[o] = sum ? (byte)Requantization.RoundingShift(total, ((AvgPool2d)pool).Shift) : (byte)max;
        }

        return output;
    }
}
