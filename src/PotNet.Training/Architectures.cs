using PotNet.Float;
using PotNet.Model;

namespace PotNet.Training;

/// <summary>
/// The networks <c>potnet train</c> knows by name, for 1x28x28 images and ten classes, as
/// <see cref="FloatModel"/>s whose weights are placeholders (zeros): a <see cref="QatNetwork"/> takes
/// only their structure.
/// </summary>
public static class Architectures
{
    /// <summary>The names: mlp, lenet5, cnn, resnet, mobilenet.</summary>
    public static IReadOnlyList<string> Names { get; } = ["mlp", "lenet5", "cnn", "resnet", "mobilenet"];

    /// <summary>
    /// <c>mlp</c>: 784-256-128-10. <c>lenet5</c>: conv 5x5 6 (padding 2), max pool, conv 5x5 16, max
    /// pool, dense 120, 84, 10. <c>cnn</c>: a small VGG-style network, conv 3x3 32 (padding 1), max
    /// pool, conv 3x3 64 (padding 1), max pool, dense 128, 10 (a second 32-channel convolution at full
    /// resolution would nearly triple the cost per image on a 2-core machine). <c>resnet</c>: conv 3x3 16
    /// (padding 1), max pool, a residual block of two conv 3x3 16, the second adding the pool's output, conv 3x3 32,
    /// max pool, a block of two conv 3x3 32, dense 10 (2.8 M multiply-adds per image, the cnn's 4.2 M).
    /// <c>mobilenet</c>: conv 3x3 16 (padding 1), max pool, then depthwise-separable blocks (a depthwise
    /// conv 3x3, padding 1, then a pointwise conv 1x1) to 32, max pool, to 64 and 64 again, dense 10
    /// (0.62 M multiply-adds per image).
    /// ReLU after every hidden weighted layer; each residual block is PyTorch's standard basic block,
    /// <c>relu(conv(relu(conv(x))) + x)</c>: the second convolution adds its input block's u8 activations
    /// into its accumulator before its ReLU (a residual source).
    /// </summary>
    /// <exception cref="PotNetException">The name is not one of <see cref="Names"/>.</exception>
    public static FloatModel Create(string name) => name switch
    {
        "mlp" => Build([new Flatten("flatten"), Dense("fc1", 784, 256), Dense("fc2", 256, 128), Dense("fc3", 128, 10)]),
        "lenet5" => Build(
        [
            Conv("conv1", 1, 6, 5, 2), new MaxPool2d("pool1", 2, 2),
            Conv("conv2", 6, 16, 5, 0), new MaxPool2d("pool2", 2, 2),
            new Flatten("flatten"), Dense("fc1", 400, 120), Dense("fc2", 120, 84), Dense("fc3", 84, 10),
        ]),
        "cnn" => Build(
        [
            Conv("conv1", 1, 32, 3, 1), new MaxPool2d("pool1", 2, 2),
            Conv("conv2", 32, 64, 3, 1), new MaxPool2d("pool2", 2, 2),
            new Flatten("flatten"), Dense("fc1", 64 * 7 * 7, 128), Dense("fc2", 128, 10),
        ]),
        "resnet" => Build(
        [
            Conv("conv1", 1, 16, 3, 1), new MaxPool2d("pool1", 2, 2),
            Conv("block1a", 16, 16, 3, 1), Conv("block1b", 16, 16, 3, 1, residual: "pool1"),
            Conv("conv2", 16, 32, 3, 1), new MaxPool2d("pool2", 2, 2),
            Conv("block2a", 32, 32, 3, 1), Conv("block2b", 32, 32, 3, 1, residual: "pool2"),
            new Flatten("flatten"), Dense("fc", 32 * 7 * 7, 10),
        ]),
        "mobilenet" => Build(
        [
            Conv("conv1", 1, 16, 3, 1), new MaxPool2d("pool1", 2, 2),
            .. Separable("block1", 16, 32), new MaxPool2d("pool2", 2, 2),
            .. Separable("block2", 32, 64), .. Separable("block3", 64, 64),
            new Flatten("flatten"), Dense("fc", 64 * 7 * 7, 10),
        ]),
        _ => throw new PotNetException($"unknown model '{name}': expected one of {string.Join(", ", Names)}"),
    };

    /// <summary>Marks the last weighted layer as the logits layer (no ReLU) and builds the model.</summary>
    public static FloatModel Build(IReadOnlyList<Layer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        Layer[] result = [.. layers];
        if (result[^1] is FloatComputeLayer last)
        {
            result[^1] = new FloatComputeLayer(last.Name, last.Geometry, last.Weights, last.Bias, relu: false, last.IsDense) { Inputs = last.Inputs, Residual = last.Residual };
        }

        return new FloatModel(new Shape(1, 28, 28), result);
    }

    /// <summary>
    /// A placeholder convolution with a ReLU, in <paramref name="groups"/> groups (depthwise when it is
    /// <paramref name="inChannels"/>), adding <paramref name="residual"/> before its ReLU when named.
    /// </summary>
    public static FloatComputeLayer Conv(string name, int inChannels, int outChannels, int kernel, int padding, int groups = 1, string? residual = null)
    {
        var geometry = new ConvGeometry(inChannels, outChannels, kernel, kernel, 1, padding, groups);
        return new FloatComputeLayer(name, geometry, new float[outChannels * geometry.FanIn], new float[outChannels], relu: true) { Residual = residual };
    }

    /// <summary>MobileNet's depthwise-separable block: a depthwise conv 3x3 (padding 1), then a pointwise conv 1x1, each with a ReLU.</summary>
    private static FloatComputeLayer[] Separable(string name, int inChannels, int outChannels) =>
        [Conv($"{name}_dw", inChannels, inChannels, 3, 1, groups: inChannels), Conv($"{name}_pw", inChannels, outChannels, 1, 0)];

    /// <summary>A placeholder dense layer with a ReLU.</summary>
    public static FloatComputeLayer Dense(string name, int inFeatures, int outFeatures) =>
        FloatComputeLayer.Dense(name, inFeatures, outFeatures, new float[inFeatures * outFeatures], new float[outFeatures], relu: true);
}
