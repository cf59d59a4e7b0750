using System.Text.Json;
using PotNet.Model;
using PotNet.Serialization;

namespace PotNet.Cli.Tests;

/// <summary><c>potnet train</c> end to end on a few thousand images, and its refusals.</summary>
public sealed class TrainCommandTests(MnistFixture mnist) : IClassFixture<MnistFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("potnet-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Data => Path.Combine(mnist.Root, "mnist");

    [Fact]
    public void Train_exports_a_model_that_agrees_with_its_fake_quantised_network()
    {
        string model = Path.Combine(_dir, "mlp-pot4.potnet");
        var result = Cli.Run("train", "--model", "mlp", "--data", Data, "--weights", "pot4", "--per-channel",
            "--float-epochs", "1", "--epochs", "1", "--train-images", "2000", "--seed", "3", "--out", model, "--json");
        Assert.True(result.Code == 0, result.Error);

        using var report = JsonDocument.Parse(result.Out);
        JsonElement root = report.RootElement;
        Assert.Equal(1.0, root.GetProperty("agreement").GetDouble());
        double reference = root.GetProperty("reference_accuracy").GetDouble();
        Assert.Equal(root.GetProperty("fake_quant_accuracy").GetDouble(), reference);
        Assert.True(reference > 0.5, $"accuracy {reference} (chance: 0.1)");
        Assert.Equal(2, root.GetProperty("epochs").GetArrayLength());
        Assert.Contains("epoch 2 qat", result.Error, StringComparison.Ordinal);

        QuantizedModel loaded = ModelFile.Load(model);
        Assert.Equal("mlp", loaded.Provenance.Settings["model"]);
        Assert.Equal("channel", loaded.Provenance.Settings["granularity"]);
        var eval = Cli.Run("eval", model, "--data", Data, "--json");
        Assert.Equal(0, eval.Code);
        using var evalReport = JsonDocument.Parse(eval.Out);
        Assert.Equal(reference, evalReport.RootElement.GetProperty("accuracy").GetDouble());
    }

    [Fact]
    public void A_checkpoints_float_network_exports_to_onnx_and_imports_back_with_its_accuracy()
    {
        string checkpoint = Path.Combine(_dir, "mlp.ckpt"), onnx = Path.Combine(_dir, "mlp.onnx"), imported = Path.Combine(_dir, "mlp-u8.potnet");
        var train = Cli.Run("train", "--model", "mlp", "--data", Data, "--weights", "float", "--float-epochs", "1",
            "--train-images", "2000", "--seed", "4", "--checkpoint", checkpoint, "--json");
        Assert.True(train.Code == 0, train.Error);
        double trained = JsonDocument.Parse(train.Out).RootElement.GetProperty("float_accuracy").GetDouble();

        var export = Cli.Run("export", checkpoint, "--model", "mlp", "--onnx", onnx);
        Assert.True(export.Code == 0, export.Error);
        var import = Cli.Run("import", onnx, "--weights", "uniform8", "--calib-data", Data, "--calib-images", "200", "--out", imported, "--json");
        Assert.True(import.Code == 0, import.Error);
        JsonElement report = JsonDocument.Parse(import.Out).RootElement;
        // The import's float evaluator (double precision) runs the exported network on the same 10,000
        // test images as training's float32 evaluation: at most a borderline image or two may differ.
        Assert.InRange(report.GetProperty("float_accuracy").GetDouble(), trained - 0.0005, trained + 0.0005);
        Assert.InRange(report.GetProperty("quantized_accuracy").GetDouble(), trained - 0.02, 1.0);

        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("export", checkpoint, "--model", "mlp", "--qdq", "--onnx", onnx), "--qdq");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("export", checkpoint, "--model", "lenet5", "--onnx", Path.Combine(_dir, "x.onnx")), checkpoint);
        Assert.False(File.Exists(Path.Combine(_dir, "x.onnx")));
    }

    [Fact]
    public void Train_refuses_bad_options_with_one_clear_message()
    {
        string model = Path.Combine(_dir, "m.potnet");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("train", "--model", "mlp", "--data", Data, "--weights", "pot9", "--out", model), "pot9");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("train", "--model", "mlp", "--data", Data, "--weights", "pot4"), "--out");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("train", "--model", "mlp", "--data", Data, "--weights", "float"), "--checkpoint");
        string notCheckpoint = Path.Combine(_dir, "not.ckpt");
        File.WriteAllText(notCheckpoint, "hello");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("train", "--model", "mlp", "--data", Data, "--init", notCheckpoint, "--out", model), "not a potnet checkpoint");
        Cli.AssertFails(PotNetCommand.UsageError, Cli.Run("train", "--model", "vgg16", "--data", Data, "--out", model), "vgg16");
        Assert.False(File.Exists(model));
    }
}
