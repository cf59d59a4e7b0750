using PotNet.Model;
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
/// pruned networks fine-tuned from a quantisation-aware one. Each runs as a <see cref="TrainingJob"/>
/// in a worker process (<see cref="StepProcess"/>) with a fixed number of libtorch threads: two for
/// the float network, which nothing else can run beside, one for the others, which run side by side.
/// </summary>
internal sealed class TrainingSteps(StepRunner runner, ExperimentPlan plan, ExperimentData data)
{
    private const int FloatThreads = 2, QatThreads = 1;

    /// <summary>The float network: its folder (holding the checkpoint) and its accuracy.</summary>
    public Task<(string Folder, TrainedResult Result)> Float() => Run(
        Key("train-float", FloatThreads).With("epochs", plan.FloatEpochs),
        $"train {plan.Model} float ({plan.FloatEpochs} epochs)",
        Job(TrainingKind.Float, null, plan.FloatEpochs, null, FloatThreads));

    /// <summary>A quantisation-aware network in <paramref name="weights"/>, fine-tuned from the float one.</summary>
    public async Task<(string Folder, TrainedResult Result)> Quantized(string weights)
    {
        string init = Path.Combine((await Float().ConfigureAwait(false)).Folder, TrainingJob.CheckpointFile);
        return await Run(
            Key("train-qat", QatThreads).With("weights", weights).With("epochs", plan.QatEpochs).WithFile("init", init),
            $"train {plan.Model} {weights} ({plan.QatEpochs} QAT epochs)",
            Job(TrainingKind.Qat, weights, plan.QatEpochs, init, QatThreads)).ConfigureAwait(false);
    }

    /// <summary>A pruned network: <paramref name="model"/>'s unpruned network pruned and fine-tuned with the mask fixed.</summary>
    public async Task<(string Folder, TrainedResult Result)> Pruned(ModelSpec model)
    {
        ArgumentNullException.ThrowIfNull(model);
        PruningMethod method = model.Pruning ?? throw new ArgumentException("not a pruned model", nameof(model));
        string start = Path.Combine((await Quantized(model.Weights).ConfigureAwait(false)).Folder, TrainingJob.CheckpointFile);
        TrainingJob job = Job(TrainingKind.Prune, model.Weights, plan.PruneEpochs, start, QatThreads) with
        {
            Pruning = method.Name(), Sparsity = model.Sparsity, Rounds = plan.PruneRounds, LearningRate = plan.PruneLearningRate,
        };
        return await Run(
            Key("prune", QatThreads).With("method", method.Name()).With("sparsity", model.Sparsity).With("group", job.Group).With("lanes", job.Lanes).With("rounds", plan.PruneRounds).With("epochs", plan.PruneEpochs).With("lr", plan.PruneLearningRate).WithFile("start", start),
            $"prune {plan.Model} {model.Name} ({plan.PruneRounds} rounds x {plan.PruneEpochs} epochs)",
            job).ConfigureAwait(false);
    }

    /// <summary>The network <paramref name="model"/> names, trained (or pruned) as needed.</summary>
    public Task<(string Folder, TrainedResult Result)> Of(ModelSpec model) => model.Pruning is null ? Quantized(model.Weights) : Pruned(model);

    private Task<(string Folder, TrainedResult Result)> Run(StepKey key, string title, TrainingJob job) =>
        runner.RunAsync(key, title, (folder, progress) => StepProcess.RunAsync(job, folder, progress));

    private TrainingJob Job(TrainingKind kind, string? weights, int epochs, string? init, int threads) =>
        new(kind, plan.Model, weights, epochs, plan.Seed, plan.TrainImages, init, null, 0, 0, data.Directory, plan.Data, threads);

    private StepKey Key(string step, int threads) => new StepKey(step, 1)
        .With("model", plan.Model).With("data", data.Digest()).With("seed", plan.Seed).With("train_images", plan.TrainImages).With("threads", threads)
        .With("code", CodeVersion.Of(typeof(Trainer), typeof(QuantizedModel)));
}
