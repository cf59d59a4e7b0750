using PotNet.Float;
using Xunit.Abstractions;

namespace PotNet.Onnx.Tests;

/// <summary>What the ONNX graph ends in: the logits, or a Softmax/LogSoftmax of them that PotNet drops.</summary>
internal enum Output
{
    Logits,
    Softmax,
    LogSoftmax,
}

/// <summary>FloatEngine on an imported model against ONNX Runtime on the file, on 100 MNIST test images: at most 1e-4 apart.</summary>
internal static class FloatAgreement
{
    public const double Tolerance = 1e-4;

    /// <summary>
    /// Runs both on the first 100 test images; ONNX Runtime gets each image as <paramref name="sampleShape"/>
    /// (default [1, 28, 28]) in batches of <paramref name="batch"/> (all at once by default).
    /// </summary>
    public static void Assert(MnistFixture mnist, ITestOutputHelper output, byte[] onnx, FloatModel model, Output final,
        long[]? sampleShape = null, int? batch = null, Func<byte[], float[]>? onnxInput = null)
    {
        var engine = new FloatEngine(model);
        byte[][] images = Enumerable.Range(0, 100).Select(i => mnist.Test.Image(i).ToArray()).ToArray();
        using var ort = new OrtRunner(onnx);
        float[][] inputs = images.Select(onnxInput ?? OrtRunner.Pixels).ToArray();
        int size = batch ?? inputs.Length;
        float[][] expected = inputs.Chunk(size).SelectMany(chunk => ort.Run(chunk, sampleShape ?? [1, 28, 28])).ToArray();
        double worst = 0;
        for (int i = 0; i < images.Length; i++)
        {
            double[] actual = Post(engine.Infer(images[i]), final);
            Xunit.Assert.Equal(expected[i].Length, actual.Length);
            for (int k = 0; k < actual.Length; k++) worst = Math.Max(worst, Math.Abs(actual[k] - expected[i][k]));
        }

        output.WriteLine($"max abs difference over 100 images: {worst:E2}");
        Xunit.Assert.True(worst <= Tolerance, $"max abs difference {worst:E3} > {Tolerance}");
    }

    private static double[] Post(double[] logits, Output final)
    {
        if (final == Output.Logits) return logits;
        double max = logits.Max();
        double logSum = Math.Log(logits.Sum(v => Math.Exp(v - max))) + max;
        return logits.Select(v => final == Output.Softmax ? Math.Exp(v - logSum) : v - logSum).ToArray();
    }
}
