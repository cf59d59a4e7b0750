using PotNet.Engines;
using PotNet.Formats;
using PotNet.Model;
using PotNet.Serialization;
using static TorchSharp.torch;

namespace PotNet.Training.Tests;

/// <summary>Short training runs on a few thousand MNIST images.</summary>
[Collection(MnistGroup.Name)]
public sealed class TrainerTests(MnistFixture mnist) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("potnet-training-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static TrainingOptions Options(int floatEpochs, int qatEpochs, int images) => new()
    {
        Model = "lenet5",
        Format = WeightFormat.Pot(4),
        PerChannel = true,
        FloatEpochs = floatEpochs,
        QatEpochs = qatEpochs,
        TrainImages = images,
        BatchSize = 64,
        FloatLearningRate = 2e-3,
        QatLearningRate = 1e-3,
        Seed = 7,
    };

    [Fact]
    public void A_short_run_learns_and_its_export_agrees_with_the_fake_quantised_network()
    {
        TrainingOptions options = Options(1, 1, 3000);
        var trainer = new Trainer(options, mnist.Train, mnist.Test);
        var reports = new List<EpochReport>();
        trainer.Run(reports.Add);

        Assert.Equal(["float", "qat"], reports.Select(r => r.Phase));
        Assert.True(reports[0].TestAccuracy > 0.6, $"float accuracy {reports[0].TestAccuracy} after one epoch on 3000 images");
        Assert.True(reports[1].TestAccuracy > 0.6, $"pot4 accuracy {reports[1].TestAccuracy}");

        TrainedModel trained = TrainedModel.Export(trainer.Network, options, trainer.Lineage, mnist.Test, "mnist");
        Assert.Equal(reports[1].TestAccuracy, trained.FakeQuantized.Accuracy);
        Assert.Equal(1.0, trained.Agreement);
        Assert.Equal(trained.FakeQuantized.Predictions, trained.Reference.Predictions);

        string path = Path.Combine(_dir, "lenet5-pot4.potnet");
        ModelFile.Save(trained.Model, path);
        QuantizedModel loaded = ModelFile.Load(path);
        Assert.Equal("pot4", loaded.Provenance.Settings["weights"]);
        Assert.Equal("7", loaded.Provenance.Settings["seed"]);
        Assert.Equal(trained.Reference.Accuracy, loaded.Provenance.Accuracy[$"reference/{mnist.Test.Name}"]);
        Assert.Equal(reports[0].TestAccuracy, loaded.Provenance.Accuracy[$"float/{mnist.Test.Name}"]);
        Assert.Equal(trained.Reference.Accuracy, Evaluation.Run(mnist.Test, i => new ReferenceEngine(loaded).Classify(i.Span)).Accuracy);
    }

    [Fact]
    public void A_run_that_tests_its_last_epoch_only_reports_no_accuracy_before_it()
    {
        TrainingOptions options = Options(2, 0, 1000) with { Format = null };
        var trainer = new Trainer(options, mnist.Train, mnist.Test);
        trainer.Run(testEachEpoch: false);

        Assert.Equal(2, trainer.History.Count);
        Assert.Null(trainer.History[0].TestAccuracy);
        Assert.Equal(Trainer.Evaluate(trainer.Network, mnist.Test).Accuracy, trainer.History[1].TestAccuracy);
    }

    [Fact]
    public void Without_qat_epochs_the_float_network_is_exported_as_it_quantises()
    {
        var trainer = new Trainer(Options(1, 0, 640), mnist.Train, mnist.Test);
        trainer.Run();
        Assert.True(trainer.Network.Quantized);
        Assert.Equal(1.0, TrainedModel.Export(trainer.Network, Options(1, 0, 640), trainer.Lineage, mnist.Test, "mnist").Agreement);
    }

    [Theory]
    [InlineData(1, 1, 1, "lenet5")] // interrupted at the switch from float to quantisation-aware training
    [InlineData(1, 2, 2, "lenet5")] // interrupted inside the quantisation-aware phase
    [InlineData(1, 2, 2, "resnet")] // residual adds: their running maxima are in the checkpoint too
    [InlineData(1, 1, 1, "mobilenet")] // depthwise convolutions
    public void A_resumed_run_ends_exactly_where_an_uninterrupted_one_does(int floatEpochs, int qatEpochs, int stopAfter, string model)
    {
        TrainingOptions options = Options(floatEpochs, qatEpochs, 640) with { Model = model };
        var whole = new Trainer(options, mnist.Train, mnist.Test);
        whole.Run();

        string checkpoint = Path.Combine(_dir, "run.ckpt");
        new Trainer(options, mnist.Train, mnist.Test).Run(checkpointPath: checkpoint, stopAfter: stopAfter);
        var resumed = new Trainer(options with { }, mnist.Train, mnist.Test);
        resumed.Resume(checkpoint);
        Assert.Equal(stopAfter, resumed.History.Count);
        resumed.Run();

        Assert.Equal(Strip(whole.History), Strip(resumed.History));
        foreach (var (a, b) in whole.Network.parameters().Zip(resumed.Network.parameters()))
        {
            Assert.Equal(a.data<float>().ToArray(), b.data<float>().ToArray());
        }

        Assert.Equal(whole.Network.RunningMaxima(), resumed.Network.RunningMaxima());
        // The resnet's blocks add their input into the second convolution (a residual source), so its
        // resumed run also restores what the residual alignment was prepared from.
        Assert.Equal(model == "resnet", whole.Network.Architecture.Layers.Any(l => l.Residual is not null));
        Assert.Equal(
            whole.Network.WeightedLayers.Select(l => l.ResidualExponent),
            resumed.Network.WeightedLayers.Select(l => l.ResidualExponent));
    }

    [Fact]
    public void A_run_started_from_a_float_checkpoint_continues_its_weights_and_lineage()
    {
        string checkpoint = Path.Combine(_dir, "float.ckpt");
        var floatRun = new Trainer(Options(1, 0, 640) with { Format = null }, mnist.Train, mnist.Test);
        floatRun.Run(checkpointPath: checkpoint);

        var qat = new Trainer(Options(0, 1, 640) with { Seed = 9 }, mnist.Train, mnist.Test);
        qat.Initialize(checkpoint);
        foreach (var (a, b) in floatRun.Network.parameters().Zip(qat.Network.parameters()))
        {
            Assert.Equal(a.data<float>().ToArray(), b.data<float>().ToArray());
        }

        qat.Run();
        Assert.Equal("1", qat.InitialSettings["float_epochs"]);
        Assert.Equal("float", qat.InitialSettings["weights"]);
        Assert.Equal(["float", "qat"], qat.Lineage.Select(r => r.Phase));
        TrainedModel trained = TrainedModel.Export(qat.Network, Options(0, 1, 640), qat.Lineage, mnist.Test, "mnist");
        Assert.Equal(floatRun.History[0].TestAccuracy, trained.Model.Provenance.Accuracy[$"float/{mnist.Test.Name}"]);
        Assert.Equal(1.0, trained.Agreement);
    }

    [Fact]
    public void A_checkpoint_of_other_settings_or_a_corrupt_one_is_refused()
    {
        string checkpoint = Path.Combine(_dir, "run.ckpt");
        new Trainer(Options(1, 0, 128), mnist.Train, mnist.Test).Run(checkpointPath: checkpoint);

        var other = new Trainer(Options(1, 0, 128) with { Seed = 8 }, mnist.Train, mnist.Test);
        var error = Assert.Throws<PotNetException>(() => other.Resume(checkpoint));
        Assert.Contains("settings.seed", error.Message, StringComparison.Ordinal);

        var mlp = new Trainer(Options(1, 0, 128) with { Model = "mlp" }, mnist.Train, mnist.Test);
        Assert.Throws<PotNetException>(() => mlp.Initialize(checkpoint));

        byte[] bytes = File.ReadAllBytes(checkpoint);
        string truncated = Path.Combine(_dir, "truncated.ckpt");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        Assert.Throws<PotNetException>(() => new Trainer(Options(1, 0, 128), mnist.Train, mnist.Test).Resume(truncated));
    }

    private static EpochReport[] Strip(IEnumerable<EpochReport> history) => [.. history.Select(r => r with { Seconds = 0 })];
}
