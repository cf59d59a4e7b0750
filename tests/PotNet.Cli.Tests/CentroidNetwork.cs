using PotNet.Data;
using PotNet.Float;
using PotNet.Model;

namespace PotNet.Cli.Tests;

/// <summary>
/// A float network the tests can build in a second without training: a 1x1 convolution with ReLU,
/// 2x2 average pooling, and a nearest-class-mean classifier as the dense layer: the largest
/// <c>x.mu_c - |mu_c|^2 / 2</c> is the nearest class mean. The weights are centred
/// (<c>w_c = mu_c - mean_c(mu_c)</c>, which shifts every logit alike) so that they carry the
/// differences between classes, which is what survives a few bits.
/// It classifies MNIST far above chance, which makes accuracy a meaningful check of the pipeline.
/// </summary>
internal static class CentroidNetwork
{
    public static FloatModel Build(Dataset train)
    {
        const int Side = 14, Features = Side * Side;
        var conv = new FloatComputeLayer("conv", new ConvGeometry(1, 1, 1, 1, 1, 0), [1f], [0f], relu: true);
        var pool = new AvgPool2d("pool", 2, 2);
        var sums = new double[train.ClassCount, Features];
        var counts = new int[train.ClassCount];
        for (int i = 0; i < train.Count; i++)
        {
            int label = train.Labels.Span[i];
            counts[label]++;
            ReadOnlySpan<byte> image = train.Image(i);
            for (int f = 0; f < Features; f++)
            {
                int y = f / Side * 2, x = f % Side * 2;
                sums[label, f] += (image[y * 28 + x] + image[y * 28 + x + 1] + image[(y + 1) * 28 + x] + image[(y + 1) * 28 + x + 1]) / 4.0 / 256;
            }
        }

        var weights = new float[train.ClassCount * Features];
        var bias = new float[train.ClassCount];
        for (int f = 0; f < Features; f++)
        {
            double centre = 0;
            for (int c = 0; c < train.ClassCount; c++) centre += sums[c, f] / counts[c] / train.ClassCount;
            for (int c = 0; c < train.ClassCount; c++)
            {
                double mean = sums[c, f] / counts[c];
                weights[c * Features + f] = (float)(mean - centre);
                bias[c] -= (float)(mean * mean / 2);
            }
        }

        return new FloatModel(new Shape(1, 28, 28),
            [conv, pool, new Flatten("flatten"), FloatComputeLayer.Dense("classes", Features, train.ClassCount, weights, bias, relu: false)]);
    }
}
