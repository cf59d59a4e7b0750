using System.CommandLine;
using System.Globalization;
using PotNet.Data;
using PotNet.Formats;
using PotNet.Serialization;
using PotNet.Training;
using PotNet.Training.Pruning;

namespace PotNet.Cli.Commands;

/// <summary>
/// <c>potnet train --model lenet5 --data mnist --weights pot4 --out M.potnet</c>: float pre-training, then
/// quantisation-aware training, then export; reports both the fake-quantised network's and the exported
/// model's (ReferenceEngine) accuracy and how often they agree.
/// </summary>
internal static class TrainCommand
{
    public static Command Create(Terminal terminal)
    {
        var model = new Option<string>("--model") { Description = $"The network: {string.Join(", ", Architectures.Names)}.", Required = true };
        model.AcceptOnlyFromAmong([.. Architectures.Names]);
        var data = DataOptions.Data();
        var dataDir = DataOptions.DataDir();
        var weights = new Option<string>("--weights") { Description = "Weight format (pot4, uniform4, apot4, ...), or float to train a float network only.", DefaultValueFactory = _ => "pot4" };
        var perChannel = new Option<bool>("--per-channel") { Description = "One scale exponent per output channel in hidden layers." };
        var rounding = new Option<string>("--rounding") { Description = "Rounding to a level: nearest or log.", DefaultValueFactory = _ => "nearest" };
        rounding.AcceptOnlyFromAmong("nearest", "log");
        var epochs = NonNegative("--epochs", "Quantisation-aware epochs.", 5);
        var floatEpochs = NonNegative("--float-epochs", "Float pre-training epochs.", 10);
        var seed = new Option<int>("--seed") { Description = "Seed of the initial weights, shuffling and augmentation.", DefaultValueFactory = _ => 1 };
        var batchSize = NonNegative("--batch-size", "Images per step.", 128);
        var shift = NonNegative("--shift", "Largest random shift of training images, in pixels (0: none).", 2);
        var trainImages = new Option<int?>("--train-images") { Description = "Train on the first N images only." };
        var checkpoint = new Option<string?>("--checkpoint") { Description = "Write the run's state here after every epoch." };
        var resume = new Option<bool>("--resume") { Description = "Continue the run saved in --checkpoint (same settings)." };
        var init = new Option<string?>("--init") { Description = "Start from the weights of this checkpoint (e.g. a float run; use with --float-epochs 0)." };
        var output = new Option<string?>("--out") { Description = "The .potnet file to write (required unless --weights float)." };
        var threads = new Option<int?>("--threads") { Description = "Threads libtorch may use (default: one per core); 1 is steadier on a busy machine." };
        var json = new Option<bool>("--json") { Description = "Print a JSON report instead of text." };
        var prune = new Option<string?>("--prune") { Description = "After training, prune: log or magnitude (with --sparsity; see potnet prune)." };
        prune.AcceptOnlyFromAmong([.. PruningMethods.Names]);
        var pruning = new PruningCliOptions("--prune-epochs", "--prune-lr");
        var command = new Command("train", "Train a network with quantisation-aware training and export it to .potnet.")
        {
            model, data, dataDir, weights, perChannel, rounding, epochs, floatEpochs, seed, batchSize, shift, trainImages, checkpoint, resume, init, output, threads, json, prune,
        };
        pruning.AddTo(command);
        command.SetGuardedAction(terminal, parse =>
        {
            string weightsName = parse.GetValue(weights)!;
            WeightFormat? format = weightsName == "float" ? null : WeightFormat.Parse(weightsName);
            string? outPath = parse.GetValue(output), checkpointPath = parse.GetValue(checkpoint), initPath = parse.GetValue(init);
            if (format is not null && outPath is null) throw new PotNetException("--out: required to export the trained model (or use --weights float with --checkpoint)");
            if (format is null && checkpointPath is null) throw new PotNetException("--checkpoint: a float run keeps its result only in a checkpoint");
            if (parse.GetValue(resume) && checkpointPath is null) throw new PotNetException("--resume: needs --checkpoint");
            if (parse.GetValue(batchSize) < 1) throw new PotNetException("--batch-size: must be at least 1");
            PruningOptions? pruneOptions = pruning.Read(parse, parse.GetValue(prune) is string method ? PruningMethods.Parse(method) : null);
            if (pruneOptions is not null && format is null) throw new PotNetException("--prune: needs a weight format (not --weights float)");
            if (parse.GetValue(threads) is int count)
            {
                if (count < 1) throw new PotNetException("--threads: must be at least 1");
                TorchSharp.torch.set_num_threads(count);
            }

            string directory = DataCatalog.Resolve(parse.GetValue(data)!, parse.GetValue(dataDir));
            Dataset train = Dataset.Load(directory, DatasetSplit.Train), test = Dataset.Load(directory, DatasetSplit.Test);
            var options = new TrainingOptions
            {
                Model = parse.GetValue(model)!,
                Format = format,
                PerChannel = parse.GetValue(perChannel),
                Rounding = RoundingNames.Parse(parse.GetValue(rounding))!.Value,
                FloatEpochs = parse.GetValue(floatEpochs),
                QatEpochs = parse.GetValue(epochs),
                Seed = parse.GetValue(seed),
                BatchSize = parse.GetValue(batchSize),
                Shift = parse.GetValue(shift),
                TrainImages = parse.GetValue(trainImages),
            };

            var trainer = new Trainer(options, train, test);
            if (initPath is not null) trainer.Initialize(initPath);
            if (parse.GetValue(resume) && File.Exists(checkpointPath)) trainer.Resume(checkpointPath!);
            bool quiet = parse.GetValue(json);
            trainer.Run(report =>
            {
                if (!quiet) terminal.Writer.WriteLine(Describe(report));
                else terminal.Error.WriteLine(Describe(report));
            }, checkpointPath);

            TrainReport result;
            PruningSummary? pruningSummary = null;
            if (format is null)
            {
                result = new TrainReport(options.Describe(), trainer.History, (trainer.History.Count > 0 ? trainer.History[^1].TestAccuracy : null), null, null, null, null, checkpointPath);
            }
            else
            {
                // A run started from another (a float pre-training, typically) records that run's settings too.
                var extra = trainer.InitialSettings.ToDictionary(s => $"init.{s.Key}", s => s.Value);
                if (initPath is not null) extra["init"] = Path.GetFileName(initPath);
                IReadOnlyList<EpochReport> lineage = trainer.Lineage;
                if (pruneOptions is not null)
                {
                    PruningResult pruned = PruningCliOptions.Run(terminal, quiet, trainer.Network, options, pruneOptions, train, test);
                    foreach (var (key, value) in PruningCliOptions.Settings(pruneOptions, pruned)) extra[key] = value;
                    lineage = [.. lineage, .. pruned.History];
                    pruningSummary = PruningSummary.Of(pruned);
                }

                TrainedModel trained = terminal.WithProgress("export and check", _ =>
                    TrainedModel.Export(trainer.Network, options, lineage, test, parse.GetValue(data)!, extra));
                ModelFile.Save(trained.Model, outPath!);
                double? floatAccuracy = trainer.Lineage.LastOrDefault(r => r.Phase == "float")?.TestAccuracy;
                result = new TrainReport(options.Describe(), trainer.History, floatAccuracy, trained.FakeQuantized.Accuracy, trained.Reference.Accuracy, trained.Agreement, outPath, checkpointPath, pruningSummary);
            }

            if (quiet) Json.Write(terminal.Writer, result);
            else terminal.Writer.WriteLine(Summary(result, test.Name));
            return 0;
        });
        return command;
    }

    private static Option<int> NonNegative(string name, string description, int fallback)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => fallback };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0) r.AddError($"{name} must not be negative");
        });
        return option;
    }

    /// <summary>One line for an epoch, as <c>potnet train</c> and <c>potnet prune</c> print it.</summary>
    public static string Describe(EpochReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        string test = r.TestAccuracy is double t ? string.Create(CultureInfo.InvariantCulture, $", test {t:P2}") : "";
        return string.Create(CultureInfo.InvariantCulture, $"epoch {r.Epoch} {r.Phase}: lr {r.LearningRate:G3}, loss {r.Loss:F4}, train {r.TrainAccuracy:P2}{test}, {r.Seconds:F1} s");
    }

    private static string Summary(TrainReport r, string test) => r.FakeQuantAccuracy is null
        ? string.Create(CultureInfo.InvariantCulture, $"float accuracy {r.FloatAccuracy:P2} on {test}; checkpoint {r.Checkpoint}")
        : string.Create(CultureInfo.InvariantCulture,
            $"{r.Model}: float {(r.FloatAccuracy is double f ? f.ToString("P2", CultureInfo.InvariantCulture) : "n/a")}, fake-quantised {r.FakeQuantAccuracy:P2}, reference engine {r.ReferenceAccuracy:P2} on {test}; predictions agree on {r.Agreement:P2}");
}

/// <summary>What <c>potnet train</c> reports.</summary>
internal sealed record TrainReport(
    IReadOnlyDictionary<string, string> Settings, IReadOnlyList<EpochReport> Epochs, double? FloatAccuracy, double? FakeQuantAccuracy,
    double? ReferenceAccuracy, double? Agreement, string? Model, string? Checkpoint, PruningSummary? Pruning = null);
