using PotNet.Float;
using PotNet.Model;

namespace PotNet.Quantization;

/// <summary>
/// What post-training quantisation learns from running the float model on calibration images:
/// each layer's largest output (for activation exponents) and, for each weighted layer, the mean
/// input each of its weights meets (for bias correction).
/// </summary>
public sealed class CalibrationStatistics
{
    private CalibrationStatistics(double[] maxima, double[]?[] meanInputs, int images)
    {
        Maxima = maxima;
        MeanInputs = meanInputs;
        Images = images;
    }

    /// <summary>The largest output of each layer.</summary>
    public IReadOnlyList<double> Maxima { get; }

    /// <summary>
    /// For each weighted layer, the mean over images and output positions of the input under each
    /// kernel tap: [Groups, FanIn] values (a grouped convolution's groups read different inputs); null
    /// for other layers.
    /// </summary>
    public IReadOnlyList<double[]?> MeanInputs { get; }

    /// <summary>Number of calibration images.</summary>
    public int Images { get; }

    /// <summary>Runs <paramref name="model"/> on every image and gathers the statistics.</summary>
    public static CalibrationStatistics Gather(FloatModel model, IEnumerable<ReadOnlyMemory<byte>> calibration)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(calibration);
        var engine = new FloatEngine(model);
        int layers = model.Layers.Count;
        var maxima = new double[layers];
        var sums = new double[layers][];
        var tables = new int[layers][];
        for (int i = 0; i < layers; i++)
        {
            if (model.Layers[i] is FloatComputeLayer c)
            {
                sums[i] = new double[c.Geometry.Groups * c.Geometry.FanIn];
                tables[i] = c.Geometry.Gather(model.InputShape(i), model.Shapes[i + 1]);
            }
        }

        int images = 0;
        foreach (ReadOnlyMemory<byte> image in calibration)
        {
            double[] input = FloatEngine.Normalize(image.Span);
            double[][] outputs = engine.Outputs(image.Span);
            for (int i = 0; i < layers; i++)
            {
                if (sums[i] is double[] sum) Accumulate(sum, tables[i], model.Sources[i][0] < 0 ? input : outputs[model.Sources[i][0]], (FloatComputeLayer)model.Layers[i]);
                maxima[i] = Math.Max(maxima[i], outputs[i].Max());
            }

            images++;
        }

        if (images == 0) throw new PotNetException("calibration: no images");
        var means = new double[]?[layers];
        for (int i = 0; i < layers; i++)
        {
            if (sums[i] is not double[] sum) continue;
            int positions = model.Shapes[i + 1].Height * model.Shapes[i + 1].Width;
            means[i] = Array.ConvertAll(sum, s => s / ((double)images * positions));
        }

        return new CalibrationStatistics(maxima, means, images);
    }

    /// <summary>Adds the input under each tap of each group (the table is [groups, positions, FanIn], the sums [groups, FanIn]).</summary>
    private static void Accumulate(double[] sum, int[] gather, double[] input, FloatComputeLayer layer)
    {
        int fanIn = layer.Geometry.FanIn, perGroup = gather.Length / layer.Geometry.Groups;
        for (int t = 0; t < gather.Length; t++)
        {
            int group = t / perGroup, k = t % fanIn;
            sum[group * fanIn + k] += gather[t] >= 0 ? input[gather[t]] : layer.PaddingValue(group, k);
        }
    }
}
