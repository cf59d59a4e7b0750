using System.Text.Json;
using PotNet.Data;
using PotNet.Model;
using PotNet.Serialization;

namespace PotNet.Cli.Tests;

/// <summary><c>potnet prune</c> and <c>potnet train --prune</c> end to end on a few images, and their refusals.</summary>
public sealed class PruneCommandTests(MnistFixture mnist) : IClassFixture<MnistFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("potnet-prune-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Data => Path.Combine(mnist.Root, "mnist");

    [Fact]
    public void Prune_and_train_with_pruning_export_models_whose_zeros_info_counts()
    {
        string data = SmallMnist.Write(mnist, Path.Combine(_dir, "small"), 1000, 500), checkpoint = Path.Combine(_dir, "run.ckpt"), trained = Path.Combine(_dir, "t.potnet");
        var train = Cli.Run("train", "--model", "lenet5", "--data", data, "--weights", "pot4", "--per-channel", "--float-epochs", "1", "--epochs", "1",
            "--train-images", "800", "--checkpoint", checkpoint, "--out", trained, "--prune", "magnitude", "--sparsity", "0.5", "--rounds", "1", "--prune-epochs", "0", "--prune-lr", "0.0005", "--json");
        Assert.True(train.Code == 0, train.Error);
        using (var report = JsonDocument.Parse(train.Out))
        {
            Assert.InRange(report.RootElement.GetProperty("pruning").GetProperty("sparsity").GetDouble(), 0.49, 0.51);
        }

        Assert.InRange(Sparsity(trained), 0.49, 0.51);
        Assert.Equal("magnitude", ModelFile.Load(trained).Provenance.Settings["prune.method"]);
        Assert.Equal("0.0005", ModelFile.Load(trained).Provenance.Settings["prune.learning_rate"]);

        string pruned = Path.Combine(_dir, "p.potnet");
        var prune = Cli.Run("prune", checkpoint, "--method", "log", "--sparsity", "70%", "--rounds", "2", "--epochs", "0", "--data", data, "--out", pruned, "--json");
        Assert.True(prune.Code == 0, prune.Error);
        using var json = JsonDocument.Parse(prune.Out);
        JsonElement root = json.RootElement;
        Assert.Equal(1.0, root.GetProperty("agreement").GetDouble());
        Assert.Equal(2, root.GetProperty("pruning").GetProperty("rounds").GetArrayLength());
        Assert.Contains("round 2: target 70.0 %", prune.Error, StringComparison.Ordinal);
        double sparsity = root.GetProperty("pruning").GetProperty("sparsity").GetDouble();
        Assert.InRange(sparsity, 0.69, 0.71);
        Assert.Equal(sparsity, Sparsity(pruned), 6);
        QuantizedModel model = ModelFile.Load(pruned);
        Assert.StartsWith("potnet prune", model.Provenance.Source, StringComparison.Ordinal);
        Assert.Equal("run.ckpt", model.Provenance.Settings["init"]);
        Assert.Equal("log", model.Provenance.Settings["prune.method"]);
        Assert.Equal("8", model.Provenance.Settings["prune.group"]);
        Assert.False(model.Provenance.Settings.ContainsKey("prune.learning_rate"));
        JsonElement layers = root.GetProperty("pruning").GetProperty("layers");
        Assert.Equal(5, layers.GetArrayLength());
        Assert.Equal("conv1", layers[0].GetProperty("layer").GetString());
        Assert.Equal(117_600, layers[0].GetProperty("products").GetInt64());
        double kept = root.GetProperty("pruning").GetProperty("products_kept").GetDouble();
        Assert.InRange(kept, 0.01, 0.99);
        Assert.Equal(kept, double.Parse(model.Provenance.Settings["prune.products_kept"], System.Globalization.CultureInfo.InvariantCulture), 4);
        Assert.Equal(layers[1].GetProperty("sparsity").GetDouble(), double.Parse(model.Provenance.Settings["prune.layer.conv2.sparsity"], System.Globalization.CultureInfo.InvariantCulture), 4);
        Assert.Contains("conv2: sparsity", prune.Error, StringComparison.Ordinal);
        Assert.Contains("products saved", prune.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Prune_refuses_bad_options_with_one_clear_message()
    {
        string model = Path.Combine(_dir, "m.potnet"), missing = Path.Combine(_dir, "none.ckpt");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("prune", missing, "--method", "log", "--sparsity", "1.5", "--data", Data, "--out", model), "--sparsity");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("prune", missing, "--method", "log", "--sparsity", "half", "--data", Data, "--out", model), "half");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("prune", missing, "--method", "log", "--sparsity", "0.5", "--data", Data, "--out", model), "none.ckpt");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("prune", missing, "--method", "log", "--sparsity", "0.5", "--group", "0", "--data", Data, "--out", model), "--group: 0 channels per PE group; must be at least 1");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("train", "--model", "mlp", "--data", Data, "--weights", "pot4", "--prune", "magnitude", "--sparsity", "0.5", "--group", "-3", "--out", model), "--group: -3 channels per PE group");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("prune", missing, "--method", "log", "--sparsity", "0.5", "--lr", "0", "--data", Data, "--out", model), "--lr: 0 is not in (0, 1)");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("train", "--model", "mlp", "--data", Data, "--weights", "pot4", "--prune", "magnitude", "--sparsity", "0.5", "--prune-lr", "2", "--out", model), "--prune-lr: 2 is not in (0, 1)");
        Cli.AssertFails(PotNetCommand.UsageError, Cli.Run("prune", missing, "--method", "random", "--sparsity", "0.5", "--data", Data, "--out", model), "random");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("train", "--model", "mlp", "--data", Data, "--sparsity", "0.5", "--out", model), "--prune");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("train", "--model", "mlp", "--data", Data, "--weights", "float", "--checkpoint", missing, "--prune", "log", "--sparsity", "0.5"), "weight format");
        Assert.False(File.Exists(model));
    }

    /// <summary>The total sparsity <c>potnet info</c> reports.</summary>
    private static double Sparsity(string model)
    {
        var info = Cli.Run("info", model, "--json");
        Assert.True(info.Code == 0, info.Error);
        using var json = JsonDocument.Parse(info.Out);
        return json.RootElement.GetProperty("sparsity").GetDouble();
    }
}
