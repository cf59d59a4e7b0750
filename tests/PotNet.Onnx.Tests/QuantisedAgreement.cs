using PotNet.Engines;
using PotNet.Float;
using PotNet.Formats;
using PotNet.Model;
using PotNet.Quantization;
using Xunit.Abstractions;

namespace PotNet.Onnx.Tests;

/// <summary>
/// An imported model quantised (pot4, per channel, 200 training images): FastEngine equals
/// ReferenceEngine bit for bit on 100 test images, and the logits in real units stay near the float
/// model's (random weights: classes are near ties, so the logits, not the classes, are compared).
/// </summary>
internal static class QuantisedAgreement
{
    /// <summary>Checks the above; <paramref name="expected"/> is a layer the quantised model must have (the pattern under test).</summary>
    public static void Assert(MnistFixture mnist, ITestOutputHelper output, FloatModel model, Predicate<Layer> expected)
    {
        var calibration = Enumerable.Range(0, 200).Select(i => (ReadOnlyMemory<byte>)mnist.Train.Images.Slice(i * 784, 784));
        QuantizedModel quantized = Quantizer.Quantize(model, new QuantizeOptions { Format = WeightFormat.Pot(4), PerChannel = true }, calibration);
        Xunit.Assert.Contains(quantized.Layers, expected);
        var reference = new ReferenceEngine(quantized);
        var fast = new FastEngine(quantized);
        var floats = new FloatEngine(model);
        LayerPlan last = quantized.Plan[^1];
        int unit = last.InputExponent + ((ComputeLayer)last.Layer).Weights.ScaleExponent(0);
        double error = 0, size = 0;
        for (int i = 0; i < 100; i++)
        {
            byte[] image = mnist.Test.Image(i).ToArray();
            int[] logits = reference.Infer(image);
            Xunit.Assert.Equal(logits, fast.Infer(image));
            double[] real = floats.Infer(image);
            for (int k = 0; k < real.Length; k++)
            {
                error += Math.Abs(Math.ScaleB(logits[k], -unit) - real[k]);
                size += Math.Abs(real[k]);
            }
        }

        output.WriteLine($"pot4 per channel: mean logit error {error / size:P1} of the mean float logit");
        Xunit.Assert.True(error / size < 0.25, $"{error / size:P1}");
    }
}
