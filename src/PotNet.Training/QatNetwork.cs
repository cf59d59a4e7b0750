using PotNet.Float;
using PotNet.Formats;
using PotNet.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace PotNet.Training;

/// <summary>
/// A network of <see cref="QatLayer"/>s, <see cref="QatAdd"/>s and the quantised model's own pooling and
/// flatten layers, wired as a <see cref="FloatModel"/> describes it (a chain, or with residual adds or
/// weighted layers with residual sources, <c>relu(conv(h) + x)</c>). Inputs are <c>pixel / 256</c> (NCHW). In float mode it
/// is an ordinary network; fake-quantised, run in float64 after <see cref="Prepare"/>, it computes
/// exactly the integers that its export (<see cref="Export"/>) computes in the ReferenceEngine.
/// </summary>
public sealed class QatNetwork : nn.Module<Tensor, Tensor>
{
    private readonly Layer[] _layers;
    private readonly QatLayer?[] _weighted;
    private readonly QatAdd?[] _adds;

    /// <summary>
    /// Builds the network for <paramref name="architecture"/> (its weights are not used: the layers
    /// start from PyTorch's default initialisation, drawn from torch's global generator).
    /// </summary>
    public QatNetwork(FloatModel architecture, Func<string, WeightFormat?> formatOf, Rounding rounding, bool perChannel)
        : base("potnet")
    {
        ArgumentNullException.ThrowIfNull(architecture);
        ArgumentNullException.ThrowIfNull(formatOf);
        Architecture = architecture;
        _layers = [.. architecture.Layers];
        _weighted = new QatLayer?[_layers.Length];
        _adds = new QatAdd?[_layers.Length];
        if (_layers[^1] is not FloatComputeLayer) throw new PotNetException($"layer '{_layers[^1].Name}': the last layer must be conv2d or dense (it outputs the logits)");
        for (int i = 0; i < _layers.Length; i++)
        {
            if (_layers[i] is FloatComputeLayer layer)
            {
                bool hidden = i < _layers.Length - 1;
                if (layer.Relu != hidden) throw new PotNetException($"layer '{layer.Name}': relu: hidden weighted layers need a ReLU (u8 activations) and the logits layer has none");
                _weighted[i] = new QatLayer(layer.Name, layer.Geometry, layer.IsDense, hidden, formatOf(layer.Name) is WeightFormat format ? new WeightFakeQuantizer(format, rounding) : null, perChannel);
                register_module(layer.Name, _weighted[i]!);
            }
            else if (_layers[i] is ResidualAdd add)
            {
                _adds[i] = new QatAdd(add.Name);
            }
            else if (_layers[i] is not (Pool2d or Flatten))
            {
                throw new PotNetException($"layer '{_layers[i].Name}': type: {_layers[i].TypeName} cannot be trained");
            }
        }
    }

    /// <summary>The layer structure (and shapes) this network was built from.</summary>
    public FloatModel Architecture { get; }

    /// <summary>The weighted layers in order.</summary>
    public IEnumerable<QatLayer> WeightedLayers => _weighted.OfType<QatLayer>();

    /// <summary>The running maximum of every layer that requantises (weighted layers and adds), by name.</summary>
    public SortedDictionary<string, double> RunningMaxima() => new(
        WeightedLayers.Select(l => (l.GetName(), l.RunningMax)).Concat(_adds.OfType<QatAdd>().Select(a => (a.Name, a.RunningMax))).ToDictionary(),
        StringComparer.Ordinal);

    /// <summary>Sets every running maximum from <paramref name="maxima"/>; <paramref name="missing"/> makes the error for a layer without an entry.</summary>
    public void RestoreRunningMaxima(IReadOnlyDictionary<string, double> maxima, Func<string, Exception> missing)
    {
        ArgumentNullException.ThrowIfNull(maxima);
        ArgumentNullException.ThrowIfNull(missing);
        foreach (QatLayer layer in WeightedLayers) layer.RunningMax = maxima.TryGetValue(layer.GetName(), out double max) ? max : throw missing(layer.GetName());
        foreach (QatAdd add in _adds.OfType<QatAdd>()) add.RunningMax = maxima.TryGetValue(add.Name, out double max) ? max : throw missing(add.Name);
    }

    /// <summary>True when the network runs fake-quantised.</summary>
    public bool Quantized => WeightedLayers.First().Quantized;

    /// <summary>Switches every weighted layer between float and fake-quantised.</summary>
    public void SetQuantized(bool quantized)
    {
        foreach (QatLayer layer in WeightedLayers) layer.Quantized = quantized;
    }

    /// <summary>
    /// Fixes every layer's exponents for the next forward passes, from the running statistics and (with
    /// <paramref name="chooseScales"/>) the current weights. Call it before evaluating or exporting; in
    /// training, the weight scales may be re-chosen less often than every step, since choosing them
    /// costs more than the step on small networks and they change rarely.
    /// </summary>
    public void Prepare(bool chooseScales = true)
    {
        var exponents = new int[_layers.Length];
        int[][] sources = Architecture.Sources.ToArray();
        for (int i = 0; i < _layers.Length; i++)
        {
            int ExponentOf(int source) => source < 0 ? Exponents.Input : exponents[source];
            int exponent = ExponentOf(sources[i][0]);
            _weighted[i]?.Prepare(exponent, _layers[i].Residual is null ? null : ExponentOf(sources[i][^1]), chooseScales);
            _adds[i]?.Prepare();
            exponents[i] = _weighted[i]?.OutputExponent ?? _adds[i]?.OutputExponent ?? exponent;
        }
    }

    /// <summary>Runs a batch [N, C, H, W] of inputs <c>pixel / 256</c>; returns the logits (real units).</summary>
    public override Tensor forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        using var scope = NewDisposeScope();
        var outputs = new Tensor[_layers.Length];
        var exponents = new int[_layers.Length];
        Tensor Read(int source) => source < 0 ? input : outputs[source];
        for (int i = 0; i < _layers.Length; i++)
        {
            int[] sources = Architecture.Sources[i];
            Tensor x = Read(sources[0]);
            int exponent = sources[0] < 0 ? Exponents.Input : exponents[sources[0]];
            outputs[i] = _layers[i] switch
            {
                FloatComputeLayer layer => _weighted[i]!.Run(x, layer.Residual is null ? null : Read(sources[^1])),
                MaxPool2d pool => nn.functional.max_pool2d(x, [pool.Kernel, pool.Kernel], [pool.Stride, pool.Stride]),
                AvgPool2d pool when Quantized => Activations.AveragePool(x, pool.Kernel, pool.Stride, exponent),
                AvgPool2d pool => nn.functional.avg_pool2d(x, [pool.Kernel, pool.Kernel], [pool.Stride, pool.Stride]),
                Flatten => x.flatten(1),
                ResidualAdd => _adds[i]!.Forward(x, Read(sources[1]), Quantized, training),
                Layer other => throw new NotSupportedException(other.TypeName),
            };
            exponents[i] = _weighted[i]?.OutputExponent ?? _adds[i]?.OutputExponent ?? exponent;
        }

        return outputs[^1].MoveToOuterDisposeScope();
    }

    /// <summary>The float model the shadow weights make.</summary>
    public FloatModel ToFloatModel() =>
        new(Architecture.Input, _layers.Select((layer, i) => _weighted[i] is QatLayer q ? q.ToFloat(layer) : layer).ToArray());

    /// <summary>
    /// The quantised model this network computes when fake-quantised: each weighted layer's codes, scale
    /// exponents and int32 biases from <see cref="Quantization.WeightQuantizer"/> (the same call that
    /// chose the scales the fake-quantised forward uses), and the output exponents in use.
    /// </summary>
    public QuantizedModel Export(Provenance provenance)
    {
        Prepare();
        var layers = new Layer[_layers.Length];
        for (int i = 0; i < _layers.Length; i++)
        {
            if (_adds[i] is QatAdd add)
            {
                layers[i] = ((ResidualAdd)_layers[i]).WithOutputExponent(add.OutputExponent);
                continue;
            }

            if (_weighted[i] is not QatLayer q)
            {
                layers[i] = _layers[i];
                continue;
            }

            ConvGeometry g = q.Geometry;
            var groups = q.Quantize();
            var codes = groups.SelectMany(group => group.Codes).ToArray();
            var bias = groups.SelectMany(group => group.Bias).ToArray();
            var weights = new QuantizedWeights(q.Quantizer!.Format, g.OutChannels, codes, groups.Select(group => group.G).ToArray(), q.Quantizer.Rounding);
            layers[i] = q.IsDense
                ? new Dense(q.GetName(), g.InChannels, g.OutChannels, weights, bias, q.OutputExponent) { Inputs = _layers[i].Inputs, Residual = _layers[i].Residual }
                : new Conv2d(q.GetName(), g, weights, bias, q.OutputExponent) { Inputs = _layers[i].Inputs, Residual = _layers[i].Residual };
        }

        return new QuantizedModel(Architecture.Input, layers, provenance);
    }
}
