using PotNet.Float;
using PotNet.Model;

namespace PotNet.Onnx.Tests;

/// <summary>LeNet-5's layout as a PotNet float model with random weights.</summary>
internal static class LenetStyle
{
    public static FloatModel Random(int seed)
    {
        var random = new Random(seed);
        float[] Values(int count, int fanIn) => Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 2 - 1) * Math.Sqrt(3.0 / fanIn))).ToArray();
        FloatComputeLayer Conv(string name, int cin, int cout, int k, int padding) =>
            new(name, new ConvGeometry(cin, cout, k, k, 1, padding), Values(cout * cin * k * k, cin * k * k), Values(cout, 10), relu: true);
        FloatComputeLayer Dense(string name, int cin, int cout, bool relu) => FloatComputeLayer.Dense(name, cin, cout, Values(cout * cin, cin), Values(cout, 10), relu);
        return new FloatModel(new Shape(1, 28, 28),
        [
            Conv("conv1", 1, 6, 5, 2), new MaxPool2d("pool1", 2, 2),
            Conv("conv2", 6, 16, 5, 0), new MaxPool2d("pool2", 2, 2),
            new Flatten("flatten"),
            Dense("fc1", 400, 120, relu: true), Dense("fc2", 120, 84, relu: true), Dense("fc3", 84, 10, relu: false),
        ]);
    }
}
