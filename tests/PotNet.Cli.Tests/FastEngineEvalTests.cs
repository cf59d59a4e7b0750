using System.Text.Json;
using PotNet.Formats;
using PotNet.Model;
using PotNet.Quantization;
using PotNet.Serialization;

namespace PotNet.Cli.Tests;

public sealed class FastEngineEvalTests(MnistFixture mnist) : IClassFixture<MnistFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("potnet-cli-fast-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Eval_with_the_fast_engine_reports_what_the_reference_reports()
    {
        QuantizedModel model = Quantizer.Quantize(CentroidNetwork.Build(mnist.Train.Take(5000)), new QuantizeOptions { Format = WeightFormat.Pot(4) }, [mnist.Train.Images[..784]]);
        string path = Path.Combine(_dir, "m.potnet");
        ModelFile.Save(model, path);
        JsonElement Eval(string engine)
        {
            var run = Cli.Run("eval", path, "--data", "mnist", "--data-dir", mnist.Root, "--images", "2000", "--engine", engine, "--json");
            Assert.True(run.Code == 0, run.Error);
            return JsonDocument.Parse(run.Out).RootElement.Clone();
        }

        JsonElement fast = Eval("fast"), reference = Eval("reference");
        Assert.Equal("fast", fast.GetProperty("engine").GetString());
        Assert.Equal(reference.GetProperty("correct").GetInt32(), fast.GetProperty("correct").GetInt32());
        Assert.InRange(fast.GetProperty("accuracy").GetDouble(), 0.6, 1.0);
    }

    [Fact]
    public void Check_compares_every_logit_with_the_reference_engine()
    {
        QuantizedModel model = Quantizer.Quantize(CentroidNetwork.Build(mnist.Train.Take(2000)), new QuantizeOptions { Format = WeightFormat.Apot(4), PerChannel = true }, [mnist.Train.Images[..784]]);
        string path = Path.Combine(_dir, "c.potnet");
        ModelFile.Save(model, path);
        var run = Cli.Run("eval", path, "--data", "mnist", "--data-dir", mnist.Root, "--images", "500", "--engine", "fast", "--check", "--json");
        Assert.True(run.Code == 0, run.Error);
        Assert.Equal("logits equal to the reference engine's on 500/500 images", JsonDocument.Parse(run.Out).RootElement.GetProperty("check").GetString());
    }

    [Fact]
    public void An_unknown_engine_is_a_usage_error()
    {
        var run = Cli.Run("eval", "m.potnet", "--data", "mnist", "--engine", "gpu");
        Assert.Equal(PotNetCommand.UsageError, run.Code);
        Assert.Contains("gpu", run.Error, StringComparison.Ordinal);
    }
}
