using System.Text.Json;
using PotNet.Data;
using PotNet.Float;
using PotNet.Formats;
using PotNet.Model;
using PotNet.Quantization;
using PotNet.Serialization;

namespace PotNet.Cli.Tests;

public sealed class EndToEndTests(MnistFixture mnist) : IClassFixture<MnistFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("potnet-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Data_fetch_puts_verified_mnist_in_the_data_root()
    {
        Assert.Equal(0, mnist.FetchResult.Code);
        Assert.Single(mnist.FetchResult.Out.Split('\n'), line => line.StartsWith($"mnist: ready in {mnist.Root}", StringComparison.Ordinal));
        Assert.Equal(60_000, mnist.Train.Count);
        Assert.Equal(10_000, mnist.Test.Count);
    }

    [Theory]
    [InlineData("pot4")]
    [InlineData("uniform4")]
    [InlineData("apot4")]
    [InlineData("uniform8")]
    public void A_quantised_float_network_evaluates_end_to_end(string format)
    {
        FloatModel network = CentroidNetwork.Build(mnist.Train.Take(10_000));
        var calibration = Enumerable.Range(0, 256).Select(i => mnist.Train.Images.Slice(i * 784, 784));
        QuantizedModel model = Quantizer.Quantize(network, new QuantizeOptions { Format = WeightFormat.Parse(format), PerChannel = true }, calibration);
        string path = Path.Combine(_dir, $"centroid-{format}.potnet");
        ModelFile.Save(model, path);

        var info = Cli.Run("info", path);
        Assert.Equal(0, info.Code);
        Assert.Contains("classes", info.Out, StringComparison.Ordinal);
        Assert.Contains(format, info.Out, StringComparison.Ordinal);

        const int Images = 2000;
        var eval = Cli.Run("eval", path, "--data", "mnist", "--data-dir", mnist.Root, "--images", $"{Images}", "--json");
        Assert.True(eval.Code == 0, eval.Error);
        using JsonDocument report = JsonDocument.Parse(eval.Out);
        double accuracy = report.RootElement.GetProperty("accuracy").GetDouble();
        Assert.Equal(Images, report.RootElement.GetProperty("images").GetInt32());

        // The float network's own accuracy on the same images: quantisation may cost a little, not much.
        var engine = new FloatEngine(network);
        int correct = Enumerable.Range(0, Images).Count(i => ArgMax(engine.Infer(mnist.Test.Image(i))) == mnist.Test.Labels.Span[i]);
        double floatAccuracy = (double)correct / Images;
        Assert.InRange(floatAccuracy, 0.6, 1.0);
        Assert.InRange(accuracy, floatAccuracy - 0.03, 1.0);
    }

    [Fact]
    public void Eval_prints_progress_and_the_accuracy_as_text()
    {
        FloatModel network = CentroidNetwork.Build(mnist.Train.Take(2000));
        QuantizedModel model = Quantizer.Quantize(network, new QuantizeOptions { Format = WeightFormat.Pot(4) }, [mnist.Train.Images[..784]]);
        string path = Path.Combine(_dir, "m.potnet");
        ModelFile.Save(model, path);
        var eval = Cli.Run("eval", path, "--data", Path.Combine(mnist.Root, "mnist"), "--images", "300");
        Assert.Equal(0, eval.Code);
        Assert.Contains("300/300", eval.Error, StringComparison.Ordinal);
        Assert.Matches(@"accuracy \d+\.\d\d %? ?\(\d+/300\)", eval.Out);
    }

    [Fact]
    public void A_model_whose_input_does_not_match_the_images_is_refused()
    {
        var network = new FloatModel(new Shape(1, 8, 8), [new Flatten("f"), FloatComputeLayer.Dense("out", 64, 10, new float[640], new float[10], relu: false)]);
        string path = Path.Combine(_dir, "small.potnet");
        ModelFile.Save(Quantizer.Quantize(network, new QuantizeOptions { Format = WeightFormat.Pot(4) }, [new byte[64]]), path);
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("eval", path, "--data", "mnist", "--data-dir", mnist.Root), "the model takes 1x8x8");
    }

    private static int ArgMax(double[] values) => Array.IndexOf(values, values.Max());
}
