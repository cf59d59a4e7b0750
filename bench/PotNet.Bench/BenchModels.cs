using PotNet.Float;
using PotNet.Formats;
using PotNet.Model;
using PotNet.Quantization;
using PotNet.Serialization;

namespace PotNet.Bench;

/// <summary>
/// The benchmark's models: trained ones from <c>$POTNET_MODELS</c> when that directory holds one
/// (<c>&lt;name&gt;.potnet</c>, else <c>&lt;name&gt;-pot4.potnet</c>, else <c>&lt;name&gt;-*-pot4.potnet</c>, as the
/// training runs name them), otherwise the layouts of <c>potnet train --model lenet5|cnn</c> with random
/// float weights, quantised to pot4 after training-free calibration. Speed depends on the shapes, not on the weight values.
/// </summary>
internal static class BenchModels
{
    public static IReadOnlyList<string> Names { get; } = ["lenet5", "cnn"];

    /// <summary>The model named <paramref name="name"/> and where it came from.</summary>
    public static (QuantizedModel Model, string Source) Load(string name)
    {
        string? directory = Environment.GetEnvironmentVariable("POTNET_MODELS");
        if (directory is not null && Directory.Exists(directory))
        {
            string? path = new[] { $"{name}.potnet", $"{name}-pot4.potnet", $"{name}-*-pot4.potnet" }
                .SelectMany(pattern => Directory.GetFiles(directory, pattern).Order(StringComparer.Ordinal))
                .FirstOrDefault();
            if (path is not null) return (ModelFile.Load(path), $"trained: {path}");
        }

        return (Random(name), $"{name} shape, random float weights quantised to pot4 after training (no trained model)");
    }

    /// <summary>Random images, the same for every engine.</summary>
    public static byte[] Images(int count, int seed = 7)
    {
        var images = new byte[count * 784];
        new Random(seed).NextBytes(images);
        return images;
    }

    private static QuantizedModel Random(string name)
    {
        var random = new Random(name.Length);
        Layer[] layers = name switch
        {
            "lenet5" =>
            [
                Conv(random, "conv1", 1, 6, 5, 2), new MaxPool2d("pool1", 2, 2),
                Conv(random, "conv2", 6, 16, 5, 0), new MaxPool2d("pool2", 2, 2),
                new Flatten("flatten"), Dense(random, "fc1", 400, 120), Dense(random, "fc2", 120, 84), Dense(random, "fc3", 84, 10, relu: false),
            ],
            "cnn" =>
            [
                Conv(random, "conv1", 1, 32, 3, 1), Conv(random, "conv2", 32, 32, 3, 1), new MaxPool2d("pool1", 2, 2),
                Conv(random, "conv3", 32, 64, 3, 1), new MaxPool2d("pool2", 2, 2),
                new Flatten("flatten"), Dense(random, "fc1", 64 * 7 * 7, 128), Dense(random, "fc2", 128, 10, relu: false),
            ],
            _ => throw new ArgumentException($"unknown model {name}", nameof(name)),
        };
        var model = new FloatModel(new Shape(1, 28, 28), layers);
        byte[] calibration = Images(64, seed: 1);
        return Quantizer.Quantize(model, new QuantizeOptions { Format = WeightFormat.Pot(4) },
            Enumerable.Range(0, 64).Select(i => new ReadOnlyMemory<byte>(calibration, i * 784, 784)));
    }

    private static FloatComputeLayer Conv(Random random, string name, int inChannels, int outChannels, int kernel, int padding)
    {
        var geometry = new ConvGeometry(inChannels, outChannels, kernel, kernel, 1, padding);
        return new FloatComputeLayer(name, geometry, Uniform(random, outChannels * geometry.FanIn, geometry.FanIn), Uniform(random, outChannels, 100), relu: true);
    }

    private static FloatComputeLayer Dense(Random random, string name, int inFeatures, int outFeatures, bool relu = true) =>
        FloatComputeLayer.Dense(name, inFeatures, outFeatures, Uniform(random, inFeatures * outFeatures, inFeatures), Uniform(random, outFeatures, 100), relu);

    /// <summary>He-style uniform weights, so that activations neither vanish nor explode through the layers.</summary>
    private static float[] Uniform(Random random, int count, int fanIn)
    {
        float limit = MathF.Sqrt(6f / fanIn);
        return Enumerable.Range(0, count).Select(_ => (random.NextSingle() * 2 - 1) * limit).ToArray();
    }
}
