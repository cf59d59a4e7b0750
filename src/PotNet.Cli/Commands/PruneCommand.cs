using System.CommandLine;
using System.Globalization;
using PotNet.Data;
using PotNet.Model;
using PotNet.Serialization;
using PotNet.Training;
using PotNet.Training.Pruning;

namespace PotNet.Cli.Commands;

/// <summary>
/// <c>potnet prune CHECKPOINT --method log|magnitude --sparsity S [--group P] [--rounds R] [--epochs E] --data D --out M.potnet</c>:
/// prunes a quantisation-aware run's network in rounds with fine-tuning, then exports it (pruned
/// weights are the zero code) and checks it with the ReferenceEngine. The pruning options are shared
/// with <c>potnet train</c> (<see cref="PruningCliOptions"/>).
/// </summary>
internal static class PruneCommand
{
    public static Command Create(Terminal terminal)
    {
        var checkpoint = new Argument<string>("checkpoint") { Description = "A checkpoint of a quantisation-aware run (potnet train --weights pot4 --checkpoint C)." };
        var method = new Option<string>("--method") { Description = "log (columns by estimated network loss per energy saved) or magnitude (columns by global RMS magnitude).", Required = true };
        method.AcceptOnlyFromAmong([.. PruningMethods.Names]);
        var pruning = new PruningCliOptions("--epochs", "--lr");
        var data = DataOptions.Data();
        var dataDir = DataOptions.DataDir();
        var trainImages = new Option<int?>("--train-images") { Description = "Fine-tune on the first N training images only (default: the checkpoint's)." };
        var output = new Option<string>("--out") { Description = "The .potnet file to write.", Required = true };
        var threads = new Option<int?>("--threads") { Description = "Threads libtorch may use (default: one per core)." };
        var json = new Option<bool>("--json") { Description = "Print a JSON report instead of text." };
        var command = new Command("prune", "Prune a trained network (log or magnitude), fine-tune it with the mask fixed, and export it to .potnet.")
        {
            checkpoint, method, data, dataDir, trainImages, output, threads, json,
        };
        pruning.AddTo(command);
        command.SetGuardedAction(terminal, parse =>
        {
            PruningOptions prune = pruning.Read(parse, PruningMethods.Parse(parse.GetValue(method)!))!;
            SetThreads(parse.GetValue(threads));
            string path = parse.GetValue(checkpoint)!;
            (TrainingOptions options, QatNetwork network, IReadOnlyList<EpochReport> history) = Checkpoint.LoadQuantized(path);
            if (parse.GetValue(trainImages) is int n) options = options with { TrainImages = n };
            string directory = DataCatalog.Resolve(parse.GetValue(data)!, parse.GetValue(dataDir));
            Dataset train = Dataset.Load(directory, DatasetSplit.Train), test = Dataset.Load(directory, DatasetSplit.Test);

            bool quiet = parse.GetValue(json);
            PruningResult result = PruningCliOptions.Run(terminal, quiet, network, options, prune, train, test);
            var extra = PruningCliOptions.Settings(prune, result);
            extra["init"] = Path.GetFileName(path);
            TrainedModel trained = terminal.WithProgress("export and check", _ =>
                TrainedModel.Export(network, options, [.. history, .. result.History], test, parse.GetValue(data)!, extra));
            QuantizedModel model = trained.Model.WithProvenance(trained.Model.Provenance with { Source = "potnet prune (pruning and quantisation-aware fine-tuning, TorchSharp)" });
            string outPath = parse.GetValue(output)!;
            ModelFile.Save(model, outPath);
            var report = new PruneReport(model.Provenance.Settings, PruningSummary.Of(result), result.History, trained.FakeQuantized.Accuracy, trained.Reference.Accuracy, trained.Agreement, outPath);
            if (quiet)
            {
                Json.Write(terminal.Writer, report);
            }
            else
            {
                terminal.Writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{outPath}: {prune.Method.Name()} pruning, sparsity {result.Sparsity:P2} (target {prune.Sparsity:P1}), fake-quantised {report.FakeQuantAccuracy:P2}, reference engine {report.ReferenceAccuracy:P2} on {test.Name}; predictions agree on {report.Agreement:P2}"));
            }

            return 0;
        });
        return command;
    }

    /// <summary>Sets libtorch's thread count when given.</summary>
    internal static void SetThreads(int? threads)
    {
        if (threads is not int count) return;
        if (count < 1) throw new PotNetException("--threads: must be at least 1");
        TorchSharp.torch.set_num_threads(count);
    }
}

/// <summary>
/// The pruning options of <c>potnet prune</c> and <c>potnet train</c> (where the method option is
/// <c>--prune</c>, the epochs per round <c>--prune-epochs</c> and the rate <c>--prune-lr</c>, since
/// <c>--epochs</c> there counts quantisation-aware epochs), and the run with its per-round lines.
/// </summary>
internal sealed class PruningCliOptions
{
    private readonly Option<string?> _sparsity = new("--sparsity") { Description = "Target fraction of zero weights over all weighted layers: 0.7 or 70%." };
    private readonly Option<int> _rounds = new("--rounds") { Description = "Rounds of pruning and fine-tuning; the target rises linearly to --sparsity.", DefaultValueFactory = _ => 3 };
    private readonly Option<int> _epochs;
    private readonly Option<double?> _lr;
    private readonly Option<int> _calibration = new("--calibration-images") { Description = "Training images on which log pruning estimates each column's loss increase.", DefaultValueFactory = _ => 1024 };
    private readonly Option<int> _group = new("--group") { Description = "P: output channels per PE group; whole columns of P weights are pruned, as the accelerator skips them (1: single weights).", DefaultValueFactory = _ => PruningOptions.DefaultGroup };
    private readonly Option<int> _lanes = new("--lanes") { Description = "L: lanes per PE; dense layers are pruned in blocks of L consecutive inputs of a group, as the accelerator skips them (1: columns there too).", DefaultValueFactory = _ => PruningOptions.DefaultLanes };

    public PruningCliOptions(string epochsName, string lrName)
    {
        _lr = new Option<double?>(lrName) { Description = "Adam's peak learning rate of each round's fine-tuning, decayed by a cosine over the round (default: the checkpoint's quantisation-aware rate)." };
        _epochs = new Option<int>(epochsName) { Description = "Quantisation-aware fine-tuning epochs per round, with the mask fixed (0: prune only).", DefaultValueFactory = _ => 1 };
    }

    public void AddTo(Command command)
    {
        command.Options.Add(_sparsity);
        command.Options.Add(_rounds);
        command.Options.Add(_epochs);
        command.Options.Add(_lr);
        command.Options.Add(_calibration);
        command.Options.Add(_group);
        command.Options.Add(_lanes);
    }

    /// <summary>The options given, for <paramref name="method"/>; null when there is no method (train without --prune).</summary>
    public PruningOptions? Read(ParseResult parse, PruningMethod? method)
    {
        string? text = parse.GetValue(_sparsity);
        if (method is not PruningMethod m)
        {
            if (text is not null) throw new PotNetException("--sparsity: needs a pruning method (--prune log|magnitude)");
            return null;
        }

        if (text is null) throw new PotNetException("--sparsity: required to prune (e.g. --sparsity 0.7 or 70%)");
        var options = new PruningOptions
        {
            Method = m,
            Sparsity = ParseSparsity(text),
            Rounds = parse.GetValue(_rounds),
            EpochsPerRound = parse.GetValue(_epochs),
            LearningRate = parse.GetValue(_lr),
            CalibrationImages = parse.GetValue(_calibration),
            Group = parse.GetValue(_group),
            Lanes = parse.GetValue(_lanes),
        };
        try
        {
            options.Validate();
        }
        catch (PotNetException ex)
        {
            // The messages name the value; the rate's option is named differently in train.
            string message = ex.Message.StartsWith("lr:", StringComparison.Ordinal) ? _lr.Name + ex.Message[2..] : $"--{ex.Message}";
            throw new PotNetException(message, ex);
        }

        return options;
    }

    /// <summary>
    /// Prunes, printing a line per fine-tuning epoch and per round, then a line per layer (sparsity,
    /// products saved and kept); to standard error with --json.
    /// </summary>
    public static PruningResult Run(Terminal terminal, bool quiet, QatNetwork network, TrainingOptions training, PruningOptions pruning, Dataset train, Dataset test)
    {
        TextWriter lines = quiet ? terminal.Error : terminal.Writer;
        PruningResult result = PruningRun.Run(network, training, pruning, train, test,
            epoch => lines.WriteLine(TrainCommand.Describe(epoch)),
            round => lines.WriteLine(Describe(round)));
        foreach (LayerSparsity layer in result.Rounds[^1].Layers)
        {
            lines.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {layer.Layer}: sparsity {layer.Fraction:P2}, products saved {layer.ProductsSaved:N0} of {layer.Products:N0} per inference, kept {layer.ProductsKeptFraction:P2}"));
        }

        lines.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  products kept {result.Rounds[^1].ProductsKept:P2} of the dense network's (columns of {pruning.Group} channels and dense blocks of {pruning.Group} x {pruning.Lanes} skipped where all zero)"));
        return result;
    }

    /// <summary>
    /// The provenance settings of a pruned model: the options, the sparsity reached, the products kept
    /// (of the dense network's), and per layer its sparsity and products kept (of the layer's).
    /// </summary>
    public static Dictionary<string, string> Settings(PruningOptions pruning, PruningResult result)
    {
        var settings = new Dictionary<string, string>(pruning.Describe());
        settings["prune.start_sparsity"] = result.StartSparsity.ToString("F4", CultureInfo.InvariantCulture);
        settings["prune.achieved_sparsity"] = result.Sparsity.ToString("F4", CultureInfo.InvariantCulture);
        settings["prune.products_kept"] = result.Rounds[^1].ProductsKept.ToString("F4", CultureInfo.InvariantCulture);
        foreach (LayerSparsity layer in result.Rounds[^1].Layers)
        {
            settings[$"prune.layer.{layer.Layer}.sparsity"] = layer.Fraction.ToString("F4", CultureInfo.InvariantCulture);
            settings[$"prune.layer.{layer.Layer}.products_kept"] = layer.ProductsKeptFraction.ToString("F4", CultureInfo.InvariantCulture);
        }

        return settings;
    }

    /// <summary>Parses a fraction (0.7) or a percentage (70%).</summary>
    internal static double ParseSparsity(string text)
    {
        bool percent = text.EndsWith('%');
        string number = percent ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
        {
            throw new PotNetException($"--sparsity: '{text}' is not a fraction (0.7) or a percentage (70%)");
        }

        return percent ? value / 100 : value;
    }

    private static string Describe(RoundReport r)
    {
        string detail = (r.EstimatedLossIncrease, r.Threshold) switch
        {
            (double increase, _) => string.Create(CultureInfo.InvariantCulture, $"estimated loss increase {increase:G4}"),
            (_, double threshold) => string.Create(CultureInfo.InvariantCulture, $"column RMS |w| threshold {threshold:G4}"),
            _ => "nothing pruned (the target is at or below the starting zeros)",
        };
        return string.Create(CultureInfo.InvariantCulture,
            $"round {r.Round}: target {r.Target:P1}, pruned to {r.AfterPruning:P2}, after fine-tuning {r.AfterFineTuning:P2}, products kept {r.ProductsKept:P2}{(r.TestAccuracy is double a ? $", test {a:P2}" : "")}; {detail}");
    }
}

/// <summary>A pruning run in a command's JSON report: the final sparsity, products kept (of the dense network's) and layers, and each round.</summary>
internal sealed record PruningSummary(double StartSparsity, double Sparsity, double ProductsKept, IReadOnlyList<LayerSummary> Layers, IReadOnlyList<RoundSummary> Rounds)
{
    public static PruningSummary Of(PruningResult result) => new(
        result.StartSparsity, result.Sparsity, result.Rounds[^1].ProductsKept, LayerSummary.Of(result.Rounds[^1].Layers),
        result.Rounds.Select(r => new RoundSummary(
            r.Round, r.Target, r.AfterPruning, r.AfterFineTuning, r.ProductsKept, r.TestAccuracy,
            r.Layers.ToDictionary(l => l.Layer, l => l.Fraction),
            r.EstimatedLossIncrease, r.Threshold)).ToArray());
}

/// <summary>One layer in a command's JSON report: its sparsity, products per inference dense, saved and kept (of the layer's).</summary>
internal sealed record LayerSummary(string Layer, double Sparsity, long Products, long ProductsSaved, double ProductsKept)
{
    public static IReadOnlyList<LayerSummary> Of(IReadOnlyList<LayerSparsity> layers) =>
        layers.Select(l => new LayerSummary(l.Layer, l.Fraction, l.Products, l.ProductsSaved, l.ProductsKeptFraction)).ToArray();
}

/// <summary>One round in a command's JSON report.</summary>
internal sealed record RoundSummary(
    int Round, double Target, double AfterPruning, double AfterFineTuning, double ProductsKept, double? TestAccuracy,
    IReadOnlyDictionary<string, double> LayerSparsity, double? EstimatedLossIncrease, double? Threshold);

/// <summary>What <c>potnet prune</c> reports.</summary>
internal sealed record PruneReport(
    IReadOnlyDictionary<string, string> Settings, PruningSummary Pruning, IReadOnlyList<EpochReport> Epochs,
    double FakeQuantAccuracy, double ReferenceAccuracy, double Agreement, string Model);
