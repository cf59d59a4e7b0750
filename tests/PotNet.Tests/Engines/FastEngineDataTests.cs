using PotNet.Data;
using PotNet.Engines;
using PotNet.Float;
using PotNet.Formats;
using PotNet.Model;
using PotNet.Quantization;
using PotNet.Tests.Data;

namespace PotNet.Tests.Engines;

/// <summary>MNIST and Fashion-MNIST fetched once into a directory of the test run's own.</summary>
public sealed class FastDataFixture : IDisposable
{
    private readonly TempDirectory _root = new();

    public FastDataFixture() =>
        Sets = DataCatalog.Names.ToDictionary(name => name, name =>
        {
            string directory = DataCatalog.Fetch(name, _root.Path);
            return (Dataset.Load(directory, DatasetSplit.Train), Dataset.Load(directory, DatasetSplit.Test));
        });

    public IReadOnlyDictionary<string, (Dataset Train, Dataset Test)> Sets { get; }

    public void Dispose() => _root.Dispose();
}

/// <summary>
/// FastEngine equals ReferenceEngine on every image of the real test sets, for post-training
/// quantised convolutional networks (random float weights, calibrated on training images) in the
/// formats that take the quad, pair and single units.
/// </summary>
public class FastEngineDataTests(FastDataFixture data) : IClassFixture<FastDataFixture>
{
    public static TheoryData<string, string> Cases => new()
    {
        { "mnist", "pot4" }, { "mnist", "uniform8" }, { "mnist", "apot4" },
        { "fashion-mnist", "pot4" }, { "fashion-mnist", "uniform8" }, { "fashion-mnist", "pot6" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Whole_test_sets_equal_the_reference_on_every_supported_path(string dataset, string format)
    {
        (Dataset train, Dataset test) = data.Sets[dataset];
        QuantizedModel model = Quantize(WeightFormat.Parse(format), train);
        var reference = new ReferenceEngine(model);
        int classes = model.ClassCount;
        var expected = new int[test.Count * classes];
        Parallel.For(0, test.Count, i => reference.Infer(test.Image(i)).CopyTo(expected, i * classes));

        // Guards the comparison against a degenerate network whose logits hardly depend on the image.
        int predicted = Enumerable.Range(0, test.Count).Select(i => ReferenceEngine.ArgMax(expected.AsSpan(i * classes, classes))).Distinct().Count();
        int distinct = Enumerable.Range(0, test.Count).Select(i => expected[i * classes]).Distinct().Count();
        Assert.True(predicted >= 2 && distinct >= 1000, $"the network predicts {predicted} classes with {distinct} distinct first logits");

        foreach (FastPath path in FastPaths.Preference.Where(FastPaths.IsSupported))
        {
            var engine = new FastEngine(model, new FastEngineOptions { Path = path, Threads = 2 });
            var logits = new int[expected.Length];
            engine.InferBatch(test.Images, logits);
            Assert.True(expected.AsSpan().SequenceEqual(logits), $"{path}: logits differ from the reference");
        }
    }

    /// <summary>conv 3x3 8 (padding 1), max pool, conv 3x3 16, average pool, dense 10; random He-style weights.</summary>
    private static QuantizedModel Quantize(WeightFormat format, Dataset train)
    {
        var random = new Random(format.Bits);
        float[] Weights(int count, int fanIn) =>
            [.. Enumerable.Range(0, count).Select(_ => (random.NextSingle() * 2 - 1) * MathF.Sqrt(6f / fanIn))];
        var conv1 = new ConvGeometry(1, 8, 3, 3, 1, 1);
        var conv2 = new ConvGeometry(8, 16, 3, 3, 1, 0);
        var network = new FloatModel(new Shape(1, 28, 28),
        [
            new FloatComputeLayer("conv1", conv1, Weights(8 * 9, 9), Weights(8, 4), relu: true),
            new MaxPool2d("pool1", 2, 2),
            new FloatComputeLayer("conv2", conv2, Weights(16 * 72, 72), Weights(16, 4), relu: true),
            new AvgPool2d("pool2", 2, 2),
            new Flatten("flatten"),
            FloatComputeLayer.Dense("fc", 16 * 6 * 6, 10, Weights(10 * 576, 576), Weights(10, 4), relu: false),
        ]);
        var calibration = Enumerable.Range(0, 200).Select(i => train.Images.Slice(i * 784, 784));
        return Quantizer.Quantize(network, new QuantizeOptions { Format = format, PerChannel = true }, calibration);
    }
}
