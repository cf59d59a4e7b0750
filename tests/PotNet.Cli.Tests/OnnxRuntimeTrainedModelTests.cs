using PotNet.Cli.Engines;
using PotNet.Engines;
using PotNet.Model;
using PotNet.Onnx.Tests;
using PotNet.Serialization;
using Xunit.Abstractions;

namespace PotNet.Cli.Tests;

/// <summary>
/// ONNX Runtime against PotNet on trained models over the whole MNIST test set: run by hand with
/// <c>POTNET_MODELS=DIR</c> (every <c>*.potnet</c> there that takes 1x28x28 images; skipped without
/// it, since CI has no trained models). Numbers recorded in docs/results.md.
/// </summary>
public sealed class OnnxRuntimeTrainedModelTests(MnistFixture mnist, ITestOutputHelper output) : IClassFixture<MnistFixture>
{
    [SkippableFact]
    public void OnnxRuntime_agrees_with_PotNet_on_trained_models()
    {
        string? directory = Environment.GetEnvironmentVariable("POTNET_MODELS");
        Skip.If(directory is null, "POTNET_MODELS is not set: no trained models to compare");
        var models = Directory.GetFiles(directory, "*.potnet").Order(StringComparer.Ordinal)
            .Select(path => (Name: Path.GetFileName(path), Model: ModelFile.Load(path)))
            .Where(m => m.Model.Input == new Shape(1, 28, 28) && m.Model.ClassCount == mnist.Test.ClassCount).ToArray();
        Skip.If(models.Length == 0, $"{directory} holds no MNIST-shaped .potnet model");
        int images = mnist.Test.Count;
        foreach (var (name, model) in models)
        {
            int classes = model.ClassCount;
            var expected = new int[images * classes];
            new FastEngine(model).InferBatch(mnist.Test.Images, expected);
            LayerPlan last = model.Plan[^1];
            int unit = last.InputExponent + ((ComputeLayer)last.Layer).Weights.ScaleExponent(0);
            foreach (OnnxFlavor flavor in new[] { OnnxFlavor.Float, OnnxFlavor.Qdq })
            {
                using var ort = new OnnxRuntimeEngine(model, flavor);
                using OnnxRuntimeEngine.Batch batch = ort.CreateBatch(images);
                ReadOnlySpan<float> actual = batch.Run(mnist.Test.Images.Span);
                int sameLogits = 0, sameClass = 0;
                for (int i = 0; i < images; i++)
                {
                    ReadOnlySpan<int> want = expected.AsSpan(i * classes, classes);
                    ReadOnlySpan<float> got = actual.Slice(i * classes, classes);
                    bool equal = true;
                    int best = 0;
                    for (int k = 0; k < classes; k++)
                    {
                        equal &= Math.ScaleB(got[k], unit) == want[k];
                        if (got[k] > got[best]) best = k;
                    }

                    if (equal) sameLogits++;
                    if (best == ReferenceEngine.ArgMax(want)) sameClass++;
                }

                output.WriteLine($"{name} {flavor}: same class {sameClass}/{images}, same logits {sameLogits}/{images}");
                Assert.True(sameClass >= images * 99 / 100, $"{name} {flavor}: same class on only {sameClass}/{images}");
                if (flavor == OnnxFlavor.Float && Exact.Holds(model)) Assert.Equal(images, sameLogits);
            }
        }
    }
}
