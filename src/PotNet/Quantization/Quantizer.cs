using PotNet.Float;
using PotNet.Formats;
using PotNet.Model;

namespace PotNet.Quantization;

/// <summary>
/// Post-training quantisation: a float model and a calibration set in, a <see cref="QuantizedModel"/>
/// out. Weights go to their formats with power-of-two scales (<see cref="WeightQuantizer"/>);
/// each hidden layer's (and each residual add's) output exponent is the largest <c>f</c> for which the largest activation the
/// float model produced on the calibration set still fits in u8. Training and import call this too.
/// </summary>
public static class Quantizer
{
    /// <summary>Quantises <paramref name="model"/>; <paramref name="calibration"/> holds u8 images of its input shape.</summary>
    public static QuantizedModel Quantize(FloatModel model, QuantizeOptions options, IEnumerable<ReadOnlyMemory<byte>> calibration)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(calibration);
        CheckActivations(model);
        var statistics = CalibrationStatistics.Gather(model, calibration);

        var layers = new List<Layer>();
        var exponents = new int[model.Layers.Count];
        for (int i = 0; i < model.Layers.Count; i++)
        {
            int exponent = ExponentOf(model.Sources[i][0], exponents);
            bool last = i == model.Layers.Count - 1;
            Layer quantized = model.Layers[i] switch
            {
                // The logits share one scale, so that their argmax compares like with like.
                FloatComputeLayer layer => QuantizeLayer(
                    layer, options.FormatOf(layer.Name), options.Rounding, options.PerChannel && !last, exponent,
                    last ? null : ActivationExponent(statistics.Maxima[i]), options.BiasCorrection ? statistics.MeanInputs[i]! : [],
                    layer.Residual is null ? null : ExponentOf(model.Sources[i][^1], exponents)),
                ResidualAdd add => add.WithOutputExponent(ActivationExponent(statistics.Maxima[i])),
                Layer other => other,
            };
            layers.Add(quantized);
            exponents[i] = quantized switch
            {
                ComputeLayer compute => compute.OutputExponent ?? exponent,
                ResidualAdd add => add.OutputExponent!.Value,
                _ => exponent,
            };
        }

        var provenance = new Provenance
        {
            CreatedBy = $"potnet {typeof(Quantizer).Assembly.GetName().Version}",
            Created = DateTimeOffset.UtcNow,
            Source = "post-training quantisation",
            Settings = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["weights"] = options.Format.Name,
                ["granularity"] = options.PerChannel ? "channel" : "layer",
                ["rounding"] = options.Rounding.Name(),
                ["bias_correction"] = options.BiasCorrection ? "yes" : "no",
                ["calibration_images"] = statistics.Images.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };
        return new QuantizedModel(model.Input, layers, provenance);
    }

    /// <summary>The exponent of what layer index <paramref name="source"/> writes (-1: the input's).</summary>
    private static int ExponentOf(int source, int[] exponents) => source < 0 ? Exponents.Input : exponents[source];

    /// <summary>
    /// The exponent <c>f</c> that maps <paramref name="maximum"/> just inside u8: the largest with
    /// <c>maximum * 2^f &lt;= 255</c>.
    /// </summary>
    public static int ActivationExponent(double maximum) => maximum <= 0
        ? Exponents.Input
        : Math.Clamp((int)Math.Floor(Math.Log2(byte.MaxValue / maximum)), -Exponents.Limit, Exponents.Limit);

    private static ComputeLayer QuantizeLayer(FloatComputeLayer layer, WeightFormat format, Rounding rounding, bool perChannel, int inputExponent, int? outputExponent, double[] meanInput, int? residualExponent)
    {
        ConvGeometry g = layer.Geometry;
        int groups = perChannel ? g.OutChannels : 1, rows = g.OutChannels / groups, fanIn = g.FanIn;
        var codes = new byte[g.OutChannels * fanIn];
        var bias = new int[g.OutChannels];
        var exponents = new int[groups];
        double[] means = RowMeans(g, meanInput);
        for (int group = 0; group < groups; group++)
        {
            int first = group * rows;
            ReadOnlySpan<double> rowMeans = means.Length > fanIn ? means.AsSpan(first * fanIn, rows * fanIn) : means;
            var result = WeightQuantizer.Quantize(
                layer.Weights.Slice(first * fanIn, rows * fanIn), layer.Bias.Slice(first, rows), format, rounding, inputExponent, rowMeans, residualExponent)
                ?? throw new PotNetException($"layer '{layer.Name}': weights: no power-of-two scale puts them in {format.Name} with an accumulator that fits int32");
            exponents[group] = result.G;
            result.Codes.CopyTo(codes, first * fanIn);
            result.Bias.CopyTo(bias, first);
        }

        var weights = new QuantizedWeights(format, g.OutChannels, codes, exponents, rounding);
        return layer.IsDense
            ? new Dense(layer.Name, g.InChannels, g.OutChannels, weights, bias, outputExponent) { Inputs = layer.Inputs, Residual = layer.Residual }
            : new Conv2d(layer.Name, g, weights, bias, outputExponent, PaddingCodes(layer, inputExponent)) { Inputs = layer.Inputs, Residual = layer.Residual };
    }

    /// <summary>
    /// The mean inputs for bias correction as <see cref="WeightQuantizer.Quantize"/> takes them: the
    /// calibration's [groups, FanIn] as they are for one group (shared by every row), else one row of
    /// FanIn per output channel, its group's.
    /// </summary>
    private static double[] RowMeans(ConvGeometry g, double[] meanInput)
    {
        if (g.Groups == 1 || meanInput.Length == 0) return meanInput;
        var rows = new double[g.OutChannels * g.FanIn];
        for (int co = 0; co < g.OutChannels; co++) Array.Copy(meanInput, g.GroupOf(co) * g.FanIn, rows, co * g.FanIn, g.FanIn);
        return rows;
    }

    /// <summary>
    /// The padding values as u8 at the input's exponent: rounded to the nearest step (half up) and
    /// clamped to [0, 255]; exact when the value is a whole step in range (a normalisation mean that is a
    /// whole pixel value), within half a step otherwise. Null when the border reads 0.
    /// </summary>
    public static byte[]? PaddingCodes(FloatComputeLayer layer, int inputExponent) => layer.PaddingValues.IsEmpty ? null
        : layer.PaddingValues.ToArray().Select(v => (byte)Math.Clamp(Math.Floor(Math.ScaleB(v, inputExponent) + 0.5), 0, byte.MaxValue)).ToArray();

    /// <summary>u8 activations are unsigned: hidden weighted layers need their ReLU; the logits layer has none.</summary>
    private static void CheckActivations(FloatModel model)
    {
        for (int i = 0; i < model.Layers.Count; i++)
        {
            if (model.Layers[i] is not FloatComputeLayer layer)
            {
                if (i == model.Layers.Count - 1) throw new PotNetException($"layer '{model.Layers[i].Name}': the last layer must be conv2d or dense (it outputs the logits)");
                continue;
            }

            bool last = i == model.Layers.Count - 1;
            if (last && layer.Relu) throw new PotNetException($"layer '{layer.Name}': relu: the last layer outputs the logits and has no ReLU");
            if (!last && !layer.Relu) throw new PotNetException($"layer '{layer.Name}': relu: hidden weighted layers need a ReLU, since activations are unsigned 8-bit");
        }
    }
}
