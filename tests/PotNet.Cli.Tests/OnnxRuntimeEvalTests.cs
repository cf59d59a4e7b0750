using System.Text.Json;
using PotNet.Cli.Engines;
using PotNet.Engines;
using PotNet.Formats;
using PotNet.Model;
using PotNet.Quantization;
using PotNet.Serialization;
using Xunit.Abstractions;

namespace PotNet.Cli.Tests;

/// <summary>
/// <c>eval --engine onnxruntime</c>: ONNX Runtime on the model's exports agrees with the
/// ReferenceEngine image by image: the float export bit for bit (its accumulators stay below 2^24),
/// the QDQ export except where a requantisation tie (half to even there, half up in PotNet) moves the
/// top class.
/// </summary>
public sealed class OnnxRuntimeEvalTests(MnistFixture mnist, ITestOutputHelper output) : IClassFixture<MnistFixture>, IDisposable
{
    private const int Images = 500;
    private readonly string _dir = Directory.CreateTempSubdirectory("potnet-cli-ort-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("float")]
    [InlineData("qdq")]
    public void OnnxRuntime_gives_the_reference_engines_class(string export)
    {
        OnnxFlavor flavor = export == "qdq" ? OnnxFlavor.Qdq : OnnxFlavor.Float;
        QuantizedModel model = PostTrainingQuantized();
        var reference = new ReferenceEngine(model);
        LayerPlan last = model.Plan[^1];
        int unit = last.InputExponent + ((ComputeLayer)last.Layer).Weights.ScaleExponent(0);
        using var ort = new OnnxRuntimeEngine(model, flavor);
        using OnnxRuntimeEngine.Batch batch = ort.CreateBatch(Images);
        float[] logits = batch.Run(mnist.Test.Images.Span[..(Images * 784)]).ToArray();

        int sameClass = 0, sameLogits = 0;
        for (int i = 0; i < Images; i++)
        {
            int[] expected = reference.Infer(mnist.Test.Image(i));
            double[] actual = Array.ConvertAll(logits[(i * 10)..((i + 1) * 10)], v => Math.ScaleB(v, unit));
            if (expected.Select(v => (double)v).SequenceEqual(actual)) sameLogits++;
            if (ReferenceEngine.ArgMax(expected) == ort.Classify(mnist.Test.Image(i))) sameClass++;
        }

        output.WriteLine($"{flavor}: same class on {sameClass}/{Images} images, same logits on {sameLogits}/{Images}");
        Assert.True(sameClass >= Images * 99 / 100, $"{flavor}: same class on only {sameClass}/{Images}");
        if (flavor == OnnxFlavor.Float) Assert.Equal(Images, sameLogits);
    }

    [Fact]
    public void Eval_with_onnxruntime_reports_the_export_it_ran()
    {
        string path = Path.Combine(_dir, "m.potnet");
        ModelFile.Save(PostTrainingQuantized(), path);
        JsonElement Eval(params string[] engine)
        {
            var run = Cli.Run(["eval", path, "--data", "mnist", "--data-dir", mnist.Root, "--images", $"{Images}", .. engine, "--json"]);
            Assert.True(run.Code == 0, run.Error);
            return JsonDocument.Parse(run.Out).RootElement.Clone();
        }

        JsonElement reference = Eval("--engine", "reference"), ortFloat = Eval("--engine", "onnxruntime"), qdq = Eval("--engine", "onnxruntime", "--onnx", "qdq");
        Assert.Equal(JsonValueKind.Null, reference.GetProperty("onnx").ValueKind);
        Assert.Equal("onnxruntime", ortFloat.GetProperty("engine").GetString());
        Assert.Equal("float", ortFloat.GetProperty("onnx").GetString());
        Assert.Equal("qdq", qdq.GetProperty("onnx").GetString());
        int correct = reference.GetProperty("correct").GetInt32();
        Assert.Equal(correct, ortFloat.GetProperty("correct").GetInt32());
        Assert.InRange(qdq.GetProperty("correct").GetInt32(), correct - (Images / 100), correct + (Images / 100));
        Assert.InRange(reference.GetProperty("accuracy").GetDouble(), 0.6, 1.0);
    }

    [Theory]
    [InlineData("reference")]
    [InlineData("fast")]
    public void Onnx_without_the_onnxruntime_engine_is_a_usage_error(string engine)
    {
        var run = Cli.Run("eval", "m.potnet", "--data", "mnist", "--engine", engine, "--onnx", "qdq");
        Assert.Equal(PotNetCommand.UsageError, run.Code);
        Assert.Contains("--onnx needs --engine onnxruntime", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("onnxruntime", "int4")]
    [InlineData("gpu", "qdq")]
    public void An_unknown_export_or_engine_is_a_usage_error(string engine, string export)
    {
        var run = Cli.Run("eval", "m.potnet", "--data", "mnist", "--engine", engine, "--onnx", export);
        Assert.Equal(PotNetCommand.UsageError, run.Code);
        Assert.Contains(engine == "gpu" ? engine : export, run.Error, StringComparison.Ordinal);
    }

    /// <summary>The centroid network, quantised to pot4 per channel after training: its 2x2 average pool hits ties often.</summary>
    private QuantizedModel PostTrainingQuantized() =>
        Quantizer.Quantize(CentroidNetwork.Build(mnist.Train.Take(5000)), new QuantizeOptions { Format = WeightFormat.Pot(4), PerChannel = true },
            Enumerable.Range(0, 500).Select(i => mnist.Train.Images.Slice(i * 784, 784)));
}
