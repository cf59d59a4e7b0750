using PotNet.Data;
using PotNet.Float;
using PotNet.Model;

namespace PotNet.Onnx.Tests;

/// <summary>
/// A LeNet-style float network the tests can build without training: a 5x5 convolution with fixed
/// filters (a blur and signed edge detectors, so that ReLU keeps both polarities) and ReLU, 2x2 max
/// pooling, flatten, and a nearest-class-mean classifier over those features as the dense layer
/// (<see cref="Cli.Tests.CentroidNetwork"/>'s construction, on learned-free conv features).
/// </summary>
internal static class LenetCentroid
{
    private static readonly float[][] Filters =
    [
        [.. Enumerable.Repeat(1f / 25, 25)],
        Edge((y, x) => x - 2), Edge((y, x) => 2 - x), Edge((y, x) => y - 2), Edge((y, x) => 2 - y),
        Edge((y, x) => x - y), Edge((y, x) => y - x),
    ];

    public static FloatModel Build(Dataset train, int images)
    {
        var conv = new FloatComputeLayer("conv1", new ConvGeometry(1, Filters.Length, 5, 5, 1, 2), Filters.SelectMany(f => f).ToArray(), new float[Filters.Length], relu: true);
        var features = new FloatModel(new Shape(1, 28, 28), [conv, new MaxPool2d("pool1", 2, 2), new Flatten("flatten")]);
        var engine = new FloatEngine(features);
        int size = features.Shapes[^1].Size, classes = train.ClassCount;
        var sums = new double[classes, size];
        var counts = new int[classes];
        for (int i = 0; i < images; i++)
        {
            int label = train.Labels.Span[i];
            counts[label]++;
            double[] f = engine.Infer(train.Image(i));
            for (int k = 0; k < size; k++) sums[label, k] += f[k];
        }

        var weights = new float[classes * size];
        var bias = new float[classes];
        for (int k = 0; k < size; k++)
        {
            double centre = Enumerable.Range(0, classes).Sum(c => sums[c, k] / counts[c]) / classes;
            for (int c = 0; c < classes; c++)
            {
                double mean = sums[c, k] / counts[c];
                weights[c * size + k] = (float)(mean - centre);
                bias[c] -= (float)(mean * mean / 2);
            }
        }

        return new FloatModel(features.Input, [.. features.Layers, FloatComputeLayer.Dense("fc", size, classes, weights, bias, relu: false)]);
    }

    private static float[] Edge(Func<int, int, int> slope) =>
        Enumerable.Range(0, 25).Select(i => slope(i / 5, i % 5) / 10f).ToArray();
}
