using PotNet.Data;
using PotNet.Formats;
using PotNet.Model;
using PotNet.Serialization;
using PotNet.Training;
using PotNet.Training.Pruning;

namespace PotNet.Cli.Pipeline;

/// <summary>The three kinds of training step.</summary>
internal enum TrainingKind
{
    /// <summary>Float pre-training.</summary>
    Float,

    /// <summary>Quantisation-aware training from a float checkpoint.</summary>
    Qat,

    /// <summary>Pruning a quantisation-aware checkpoint, with fine-tuning.</summary>
    Prune,
}

/// <summary>
/// One training step's work, complete in itself so that it runs in a child process (<c>potnet worker</c>):
/// a native fault in libtorch ends that process, not the experiment, and the parent reports it as the
/// step's failure. Writes the checkpoint and (quantised runs) the <c>.potnet</c> model into a folder. The
/// test set is measured after the last epoch only: the step's result is that epoch's, and each pass costs seconds.
/// </summary>
/// <param name="Kind">What to train.</param>
/// <param name="Model">The architecture.</param>
/// <param name="Weights">The weight format (null for float).</param>
/// <param name="Epochs">Float epochs (float), QAT epochs (qat), or fine-tuning epochs per round (prune).</param>
/// <param name="Seed">The seed.</param>
/// <param name="TrainImages">Train on the first N images only (null: all).</param>
/// <param name="Init">The checkpoint started from (qat: the float one; prune: the QAT one).</param>
/// <param name="Pruning">The pruning method's name (prune).</param>
/// <param name="Sparsity">The target sparsity (prune).</param>
/// <param name="Rounds">Pruning rounds (prune).</param>
/// <param name="DataDirectory">The IDX files.</param>
/// <param name="DataName">The dataset's name for the provenance.</param>
/// <param name="Threads">Threads libtorch uses: fixed per kind of step, so results do not depend on the machine's cores.</param>
internal sealed record TrainingJob(
    TrainingKind Kind, string Model, string? Weights, int Epochs, int Seed, int? TrainImages, string? Init,
    string? Pruning, double Sparsity, int Rounds, string DataDirectory, string DataName, int Threads)
{
    /// <summary>P: output channels per PE group whose weight columns pruning zeroes whole (prune).</summary>
    public int Group { get; init; } = PruningOptions.DefaultGroup;

    /// <summary>L: lanes per PE, the width of the dense layers' blocks that pruning zeroes whole (prune).</summary>
    public int Lanes { get; init; } = PruningOptions.DefaultLanes;

    /// <summary>Adam's peak learning rate of the fine-tuning (prune; null: the checkpoint's quantisation-aware rate).</summary>
    public double? LearningRate { get; init; }

    /// <summary>The file names inside a training step's folder.</summary>
    public const string CheckpointFile = "run.ckpt", ModelFileName = "model.potnet";

    /// <summary>Runs the job, writing into <paramref name="folder"/>; <paramref name="progress"/> gets (done, total) epochs.</summary>
    public TrainedResult Run(string folder, Action<int, int> progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        TorchSharp.torch.set_num_threads(Threads);
        Dataset train = Dataset.Load(DataDirectory, DatasetSplit.Train), test = Dataset.Load(DataDirectory, DatasetSplit.Test);
        switch (Kind)
        {
            case TrainingKind.Float:
            {
                TrainingOptions options = Options(null) with { FloatEpochs = Epochs, QatEpochs = 0 };
                var trainer = new Trainer(options, train, test);
                trainer.Run(e => progress(e.Epoch, options.TotalEpochs), Path.Combine(folder, CheckpointFile), testEachEpoch: false);
                double accuracy = trainer.History[^1].TestAccuracy ?? throw new InvalidOperationException("the last epoch measures the test accuracy");
                return new TrainedResult(accuracy, accuracy, null, null, 0, test.Count, trainer.History.Sum(e => e.Seconds));
            }

            case TrainingKind.Qat:
            {
                string init = Init ?? throw new InvalidOperationException("a QAT job needs the float checkpoint");
                TrainingOptions options = Options(WeightFormat.Parse(Weights!)) with { FloatEpochs = 0, QatEpochs = Epochs };
                var trainer = new Trainer(options, train, test);
                trainer.Initialize(init);
                trainer.Run(e => progress(e.Epoch, options.TotalEpochs), Path.Combine(folder, CheckpointFile), testEachEpoch: false);
                var extra = trainer.InitialSettings.ToDictionary(s => $"init.{s.Key}", s => s.Value);
                return Export(trainer.Network, options, trainer.Lineage, extra, test, folder, trainer.History.Sum(e => e.Seconds));
            }

            case TrainingKind.Prune:
            {
                string start = Init ?? throw new InvalidOperationException("a pruning job needs the QAT checkpoint");
                PruningMethod method = PruningMethods.Parse(Pruning ?? throw new InvalidOperationException("a pruning job needs a method"));
                var pruning = new PruningOptions { Method = method, Sparsity = Sparsity, Rounds = Rounds, EpochsPerRound = Epochs, Group = Group, Lanes = Lanes, LearningRate = LearningRate };
                (TrainingOptions options, QatNetwork network, IReadOnlyList<EpochReport> history) = Checkpoint.LoadQuantized(start);
                int epochs = 0, total = Rounds * Epochs;
                PruningResult result = PruningRun.Run(network, options, pruning, train, test, _ => progress(++epochs, total));
                Dictionary<string, string> extra = Commands.PruningCliOptions.Settings(pruning, result);
                extra["init"] = Path.GetFileName(start);
                return Export(network, options, [.. history, .. result.History], extra, test, folder, result.History.Sum(e => e.Seconds));
            }

            default:
                throw new InvalidOperationException($"training kind {Kind}: not a kind of step");
        }
    }

    private TrainedResult Export(QatNetwork network, TrainingOptions options, IReadOnlyList<EpochReport> lineage, IReadOnlyDictionary<string, string> extra, Dataset test, string folder, double seconds)
    {
        TrainedModel trained = TrainedModel.Export(network, options, lineage, test, DataName, extra);
        ModelFile.Save(trained.Model, Path.Combine(folder, ModelFileName));
        double? floatAccuracy = lineage.LastOrDefault(r => r.Phase == "float")?.TestAccuracy;
        return new TrainedResult(trained.Reference.Accuracy, floatAccuracy, trained.FakeQuantized.Accuracy, trained.Agreement, trained.Model.WeightSparsity, test.Count, seconds);
    }

    private TrainingOptions Options(WeightFormat? format) => new() { Model = Model, Format = format, PerChannel = true, Seed = Seed, TrainImages = TrainImages };
}
