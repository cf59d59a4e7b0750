using PotNet.Float;
using PotNet.Formats;
using PotNet.Model;
using PotNet.Quantization;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PotNet.Training;

/// <summary>
/// A weighted layer (convolution, or dense as PotNet.Model sees it) with float shadow weights that
/// runs either in float, or fake-quantised exactly as the exported integer layer computes: weights at
/// the levels <see cref="WeightQuantizer"/> picks with its scale exponents, the bias rounded to
/// int32 at the accumulator's scale, and (hidden layers) u8 outputs with an exponent from the running
/// maximum of the layer's outputs.
/// </summary>
public sealed class QatLayer : nn.Module<Tensor, Tensor>
{
    /// <summary>Weight of a new observation in the running maximum.</summary>
    public const double Momentum = 0.1;

    private readonly Parameter weight;
    private readonly Parameter bias;
    private int[] _exponents = [0];
    private bool _quantized;

    /// <summary>Creates the layer with PyTorch's default initialisation (Kaiming-uniform weights, uniform bias).</summary>
    public QatLayer(string name, ConvGeometry geometry, bool isDense, bool hidden, WeightFakeQuantizer? quantizer, bool perChannel)
        : base(name)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        Geometry = geometry;
        IsDense = isDense;
        Hidden = hidden;
        Quantizer = quantizer;
        PerChannel = perChannel && hidden;
        long[] shape = isDense ? [geometry.OutChannels, geometry.InChannels] : [.. geometry.WeightShape.Select(d => (long)d)];
        weight = new Parameter(empty(shape));
        bias = new Parameter(empty(geometry.OutChannels));
        nn.init.kaiming_uniform_(weight, Math.Sqrt(5));
        double bound = 1 / Math.Sqrt(geometry.FanIn);
        nn.init.uniform_(bias, -bound, bound);
        RegisterComponents();
    }

    /// <summary>Channels, kernel, stride, padding.</summary>
    public ConvGeometry Geometry { get; }

    /// <summary>True for a dense layer.</summary>
    public bool IsDense { get; }

    /// <summary>True for a hidden layer (ReLU, u8 outputs); false for the logits layer.</summary>
    public bool Hidden { get; }

    /// <summary>The weight format and rounding; null for a network trained in float only.</summary>
    public WeightFakeQuantizer? Quantizer { get; }

    /// <summary>One scale exponent per output channel; never for the logits layer, whose outputs must share a scale.</summary>
    public bool PerChannel { get; }

    /// <summary>True to run fake-quantised, false to run in float.</summary>
    public bool Quantized
    {
        get => _quantized;
        set => _quantized = !value || Quantizer is not null
            ? value
            : throw new InvalidOperationException($"layer '{GetName()}' has no weight format to fake-quantise to");
    }

    /// <summary>The exponent of this layer's input activations (8 for images), set by <see cref="QatNetwork.Prepare"/>.</summary>
    public int InputExponent { get; private set; } = Exponents.Input;

    /// <summary>The exponent <c>e_x</c> of the residual source this layer adds (null for none), set by <see cref="QatNetwork.Prepare"/>.</summary>
    public int? ResidualExponent { get; private set; }

    /// <summary>The output exponent in use (hidden layers), fixed by <see cref="Prepare"/>.</summary>
    public int? OutputExponent { get; private set; }

    /// <summary>The running maximum of the layer's outputs (before the ReLU clamp), 0 before any observation.</summary>
    public double RunningMax { get; set; }

    /// <summary>The weight scale exponents in use: one, or one per output channel.</summary>
    public IReadOnlyList<int> ScaleExponents => _exponents;

    /// <summary>The float shadow weights, [out, in, kh, kw] or [out, in].</summary>
    public Parameter Weight => weight;

    /// <summary>The float shadow bias.</summary>
    public Parameter Bias => bias;

    /// <summary>
    /// Fixes the exponents for the next forward passes: the input exponent, the output exponent from
    /// the running maximum (<see cref="Quantizer.ActivationExponent"/>), and the weight scale exponents
    /// that <see cref="WeightQuantizer"/> chooses for the current weights (when <paramref name="chooseScales"/>),
    /// at least <c>e_x - f_in</c> with a residual source of exponent <paramref name="residualExponent"/>.
    /// </summary>
    internal void Prepare(int inputExponent, int? residualExponent, bool chooseScales)
    {
        InputExponent = inputExponent;
        ResidualExponent = residualExponent;
        OutputExponent = Hidden ? Quantization.Quantizer.ActivationExponent(RunningMax) : null;
        if (!Quantized || !chooseScales) return;
        _exponents = Quantize().Select(group => group.G).ToArray();
    }

    /// <summary>What export stores: per group of rows sharing a scale, <see cref="WeightQuantizer.Quantize"/>'s choice for the current weights.</summary>
    internal (int G, byte[] Codes, int[] Bias)[] Quantize()
    {
        WeightFakeQuantizer quantizer = Quantizer ?? throw new InvalidOperationException($"layer '{GetName()}' has no weight format");
        float[] w = WeightValues(), b = BiasValues();
        int groups = PerChannel ? Geometry.OutChannels : 1, rows = Geometry.OutChannels / groups, fanIn = Geometry.FanIn;
        var result = new (int G, byte[] Codes, int[] Bias)[groups];
        for (int group = 0; group < groups; group++)
        {
            result[group] = WeightQuantizer.Quantize(
                w.AsSpan(group * rows * fanIn, rows * fanIn), b.AsSpan(group * rows, rows), quantizer.Format, quantizer.Rounding, InputExponent, residualExponent: ResidualExponent)
                ?? throw new PotNetException($"layer '{GetName()}': weights: no power-of-two scale puts them in {quantizer.Format.Name} with an accumulator that fits int32");
        }

        return result;
    }

    /// <summary>The float layer these weights make, for <see cref="FloatModel"/>.</summary>
    internal FloatComputeLayer ToFloat(Layer wiring) => new(GetName(), Geometry, WeightValues(), BiasValues(), Hidden, IsDense) { Inputs = wiring.Inputs, Residual = wiring.Residual };

    /// <summary>Runs the layer on a batch (float32 to train, float64 for exact integer semantics).</summary>
    public override Tensor forward(Tensor input) => Run(input, null);

    /// <summary>
    /// Runs the layer on a batch, adding <paramref name="residual"/> (u8 activations in real units, the
    /// layer's output shape) to the convolution's output before the ReLU: <c>relu(conv(h) + x)</c>. In
    /// float64 the sum is exact, as the integer accumulator's is.
    /// </summary>
    public Tensor Run(Tensor input, Tensor? residual)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        Tensor w, b;
        if (Quantized)
        {
            w = Quantizer!.Apply(weight, _exponents).to_type(input.dtype);
            b = Activations.Bias(bias, InputExponent, _exponents).to_type(input.dtype);
        }
        else
        {
            w = weight.to_type(input.dtype);
            b = bias.to_type(input.dtype);
        }

        Tensor output = IsDense
            ? nn.functional.linear(input, w, b)
            : nn.functional.conv2d(input, w, b, [Geometry.Stride, Geometry.Stride], [Geometry.Padding, Geometry.Padding], groups: Geometry.Groups);
        if (residual is not null) output = output.add(residual.reshape(output.shape), Scalars.One);
        if (!Hidden) return output.MoveToOuterDisposeScope();
        if (training) Observe(output);
        Tensor activated = Quantized ? Activations.Requantize(output, OutputExponent!.Value) : nn.functional.relu(output);
        return activated.MoveToOuterDisposeScope();
    }

    private void Observe(Tensor output) => RunningMax = Observe(RunningMax, output);

    /// <summary>The running maximum after observing <paramref name="output"/>: an EMA of batch maxima (the first taken whole).</summary>
    internal static double Observe(double running, Tensor output)
    {
        double max = Math.Max(0, output.max().to_type(ScalarType.Float64).item<double>());
        return running == 0 ? max : ((1 - Momentum) * running) + (Momentum * max);
    }

    private float[] WeightValues() => Values(weight);

    private float[] BiasValues() => Values(bias);

    // In a scope of its own: the detached view is a temporary that must outlive the copy reading it.
    private static float[] Values(Parameter parameter)
    {
        using var scope = NewDisposeScope();
        return parameter.detach().contiguous().data<float>().ToArray();
    }
}
