using PotNet.Formats;
using PotNet.Model;
using PotNet.Serialization;
using PotNet.Training;
using PotNet.Training.Pruning;

namespace PotNet.Cli.Pipeline;

/// <summary>What a training or pruning step measured: accuracies on the test set and the weights' sparsity.</summary>
/// <param name="Accuracy">The exported model's accuracy with the ReferenceEngine (the float network's for a float run).</param>
/// <param name="FloatAccuracy">The float network's accuracy the run started from.</param>
/// <param name="FakeQuantAccuracy">The fake-quantised TorchSharp network's accuracy.</param>
/// <param name="Agreement">Fraction of test images on which the exported and fake-quantised networks agree.</param>
/// <param name="Sparsity">Fraction of zero weights in the exported model.</param>
/// <param name="TestImages">Images in the test set.</param>
/// <param name="TrainSeconds">Wall time of the training epochs.</param>
internal sealed record TrainedResult(double Accuracy, double? FloatAccuracy, double? FakeQuantAccuracy, double? Agreement, double Sparsity, int TestImages, double TrainSeconds);

/// <summary>
/// The training steps of an experiment, each cached by its settings and the content of its input:
/// a float network; quantisation-aware networks fine-tuned from it (a checkpoint and a .potnet each);
/// pruned networks fine-tuned from a quantisation-aware one.
/// </summary>
internal sealed class TrainingSteps(StepRunner runner, ExperimentPlan plan, ExperimentData data)
{
    /// <summary>The file names inside a training step's folder.</summary>
    public const string CheckpointFile = "run.ckpt", ModelFileName = "model.potnet";

    /// <summary>The float network: its folder (holding the checkpoint) and its accuracy.</summary>
    public (string Folder, TrainedResult Result) Float() => runner.Run(
        Key("train-float").With("epochs", plan.FloatEpochs),
        $"train {plan.Model} float ({plan.FloatEpochs} epochs)",
        (folder, progress) =>
        {
            TrainingOptions options = Options(null) with { FloatEpochs = plan.FloatEpochs, QatEpochs = 0 };
            var trainer = new Trainer(options, data.Train, data.Test);
            trainer.Run(e => progress(e.Epoch, options.TotalEpochs), Path.Combine(folder, CheckpointFile));
            EpochReport last = trainer.History[^1];
            return new TrainedResult(last.TestAccuracy, last.TestAccuracy, null, null, 0, data.Test.Count, trainer.History.Sum(e => e.Seconds));
        });

    /// <summary>A quantisation-aware network in <paramref name="weights"/>, fine-tuned from the float one.</summary>
    public (string Folder, TrainedResult Result) Quantized(string weights)
    {
        string init = Path.Combine(Float().Folder, CheckpointFile);
        return runner.Run(
            Key("train-qat").With("weights", weights).With("epochs", plan.QatEpochs).WithFile("init", init),
            $"train {plan.Model} {weights} ({plan.QatEpochs} QAT epochs)",
            (folder, progress) =>
            {
                TrainingOptions options = Options(WeightFormat.Parse(weights)) with { FloatEpochs = 0, QatEpochs = plan.QatEpochs };
                var trainer = new Trainer(options, data.Train, data.Test);
                trainer.Initialize(init);
                trainer.Run(e => progress(e.Epoch, options.TotalEpochs), Path.Combine(folder, CheckpointFile));
                var extra = trainer.InitialSettings.ToDictionary(s => $"init.{s.Key}", s => s.Value);
                return Export(trainer.Network, options, trainer.Lineage, extra, folder, trainer.History.Sum(e => e.Seconds));
            });
    }

    /// <summary>A pruned network: <paramref name="model"/>'s unpruned network pruned and fine-tuned with the mask fixed.</summary>
    public (string Folder, TrainedResult Result) Pruned(ModelSpec model)
    {
        ArgumentNullException.ThrowIfNull(model);
        PruningMethod method = model.Pruning ?? throw new ArgumentException("not a pruned model", nameof(model));
        string start = Path.Combine(Quantized(model.Weights).Folder, CheckpointFile);
        var pruning = new PruningOptions { Method = method, Sparsity = model.Sparsity, Rounds = plan.PruneRounds, EpochsPerRound = plan.PruneEpochs };
        return runner.Run(
            Key("prune").With("method", method.Name()).With("sparsity", model.Sparsity).With("rounds", plan.PruneRounds).With("epochs", plan.PruneEpochs).WithFile("start", start),
            $"prune {plan.Model} {model.Name} ({plan.PruneRounds} rounds x {plan.PruneEpochs} epochs)",
            (folder, progress) =>
            {
                (TrainingOptions options, QatNetwork network, IReadOnlyList<EpochReport> history) = Checkpoint.LoadQuantized(start);
                int epochs = 0, total = plan.PruneRounds * plan.PruneEpochs;
                PruningResult result = PruningRun.Run(network, options, pruning, data.Train, data.Test, _ => progress(++epochs, total));
                Dictionary<string, string> extra = Commands.PruningCliOptions.Settings(pruning, result);
                extra["init"] = Path.GetFileName(start);
                return Export(network, options, [.. history, .. result.History], extra, folder, result.History.Sum(e => e.Seconds));
            });
    }

    /// <summary>The network <paramref name="model"/> names, trained (or pruned) as needed.</summary>
    public (string Folder, TrainedResult Result) Of(ModelSpec model) => model.Pruning is null ? Quantized(model.Weights) : Pruned(model);

    private TrainedResult Export(QatNetwork network, TrainingOptions options, IReadOnlyList<EpochReport> lineage, IReadOnlyDictionary<string, string> extra, string folder, double seconds)
    {
        TrainedModel trained = TrainedModel.Export(network, options, lineage, data.Test, plan.Data, extra);
        ModelFile.Save(trained.Model, Path.Combine(folder, ModelFileName));
        double? floatAccuracy = lineage.LastOrDefault(r => r.Phase == "float")?.TestAccuracy;
        return new TrainedResult(trained.Reference.Accuracy, floatAccuracy, trained.FakeQuantized.Accuracy, trained.Agreement, trained.Model.WeightSparsity, data.Test.Count, seconds);
    }

    private TrainingOptions Options(WeightFormat? format) => new() { Model = plan.Model, Format = format, PerChannel = true, Seed = plan.Seed, TrainImages = plan.TrainImages };

    private StepKey Key(string step) => new StepKey(step, 1)
        .With("model", plan.Model).With("data", data.Digest()).With("seed", plan.Seed).With("train_images", plan.TrainImages)
        .With("code", CodeVersion.Of(typeof(Trainer), typeof(QuantizedModel)));
}
