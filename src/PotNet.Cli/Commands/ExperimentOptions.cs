using System.CommandLine;
using PotNet.Cli.Pipeline;
using PotNet.Cli.Reports;
using PotNet.Data;

namespace PotNet.Cli.Commands;

/// <summary>
/// The options <c>potnet reproduce</c> and <c>potnet sweep</c> share: the data, the training effort, the
/// cache, and how much to synthesise; and the run of a plan through the cache.
/// </summary>
internal sealed class ExperimentOptions
{
    private static readonly ExperimentPlan Defaults = new();
    private readonly Option<string> _data = new("--data") { Description = $"A dataset name ({string.Join(", ", DataCatalog.Names)}; fetched if missing) or a directory of IDX files.", DefaultValueFactory = _ => "mnist" };
    private readonly Option<string?> _dataDir = DataOptions.DataDir();
    private readonly Option<int> _images;
    private readonly Option<int> _floatEpochs = Count("--float-epochs", "Float pre-training epochs.", Defaults.FloatEpochs, 1);
    private readonly Option<int> _epochs = Count("--epochs", "Quantisation-aware epochs per weight format.", Defaults.QatEpochs, 0);
    private readonly Option<int> _pruneRounds = Count("--prune-rounds", "Pruning rounds (the target rises linearly).", Defaults.PruneRounds, 1);
    private readonly Option<int> _pruneEpochs = Count("--prune-epochs", "Fine-tuning epochs per pruning round.", Defaults.PruneEpochs, 0);
    private readonly Option<double> _pruneLr = Rate("--prune-lr", "Adam's peak learning rate of each pruning round's fine-tuning.", Defaults.PruneLearningRate);
    private readonly Option<int?> _trainImages = new("--train-images") { Description = "Train on the first N training images only (default: all)." };
    private readonly Option<int> _seed = new("--seed") { Description = "Seed of every training run.", DefaultValueFactory = _ => Defaults.Seed };
    private readonly Option<SynthesisScope> _synth;
    private readonly Option<string?> _cache = new("--cache") { Description = "Where finished steps are kept (default: OUT/cache); a rerun skips them." };
    private readonly Option<bool> _force = new("--force") { Description = "Run every step again, even when its result is cached." };
    private readonly Option<int> _jobs = Count("--jobs", "Steps run side by side (default: one per core).", Environment.ProcessorCount, 1);

    public ExperimentOptions(int images, SynthesisScope synth)
    {
        _images = Count("--images", "Test images each design is simulated on in Verilator.", images, 1);
        _synth = new Option<SynthesisScope>("--synth") { Description = "Yosys synthesis of each design: full (the whole design), pe (one PE) or none.", DefaultValueFactory = _ => synth };
    }

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { _data, _dataDir, _images, _floatEpochs, _epochs, _pruneRounds, _pruneEpochs, _pruneLr, _trainImages, _seed, _synth, _cache, _force, _jobs })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The plan's effort and data settings from the command line, on top of <paramref name="plan"/>.</summary>
    public ExperimentPlan Apply(ParseResult parse, ExperimentPlan plan)
    {
        if (parse.GetValue(_trainImages) is < 1) throw new PotNetException("--train-images: must be at least 1");
        return plan with
        {
            Data = parse.GetValue(_data)!,
            Images = parse.GetValue(_images),
            FloatEpochs = parse.GetValue(_floatEpochs),
            QatEpochs = parse.GetValue(_epochs),
            PruneRounds = parse.GetValue(_pruneRounds),
            PruneEpochs = parse.GetValue(_pruneEpochs),
            PruneLearningRate = parse.GetValue(_pruneLr),
            TrainImages = parse.GetValue(_trainImages),
            Seed = parse.GetValue(_seed),
        };
    }

    /// <summary>
    /// Runs <paramref name="plan"/> (the designs of <paramref name="shard"/>) with its cache under
    /// <paramref name="output"/> unless --cache says otherwise; fetches a known dataset that is missing.
    /// </summary>
    public ResultSet Run(ParseResult parse, Terminal terminal, ExperimentPlan plan, string title, string output, Shard shard)
    {
        string? root = parse.GetValue(_dataDir);
        // Fetch checks a dataset already there and fetches a missing one.
        string directory = DataCatalog.Names.Contains(plan.Data, StringComparer.Ordinal)
            ? DataCatalog.Fetch(plan.Data, root, line => terminal.Error.WriteLine($"data: {line}"))
            : DataCatalog.Resolve(plan.Data, root);

        var cache = new StepCache(parse.GetValue(_cache) ?? Path.Combine(output, "cache"));
        using var runner = new StepRunner(cache, terminal, parse.GetValue(_force), parse.GetValue(_jobs));
        var experiment = new Experiment(plan, runner, new ExperimentData(directory), parse.GetValue(_synth));
        // System.CommandLine's actions here are synchronous; the experiment's steps run on the thread pool.
        return terminal.WithProgressBoardAsync(() => experiment.RunAsync(title, shard)).GetAwaiter().GetResult();
    }

    /// <summary>Parses a comma-separated list with <paramref name="parse"/>; an empty list is an error naming <paramref name="option"/>.</summary>
    public static T[] List<T>(string option, string text, Func<string, T> parse)
    {
        T[] items = [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(parse)];
        return items.Length > 0 ? items : throw new PotNetException($"{option}: '{text}' names nothing (give a comma-separated list)");
    }

    /// <summary>Parses a list of sparsities: fractions (0.7) or percentages (70%), each in [0, 1).</summary>
    public static double[] Sparsities(string option, string text) => List(option, text, item =>
    {
        double value = PruningCliOptions.ParseSparsity(item);
        return value is >= 0 and < 1 ? value : throw new PotNetException($"{option}: {item} is not in [0, 1)");
    });

    private static Option<double> Rate(string name, string description, double fallback)
    {
        var option = new Option<double>(name) { Description = description, DefaultValueFactory = _ => fallback };
        option.Validators.Add(r =>
        {
            double value = r.GetValueOrDefault<double>();
            if (!(value > 0 && value < 1)) r.AddError($"{name} must be in (0, 1)");
        });
        return option;
    }

    private static Option<int> Count(string name, string description, int fallback, int min)
    {
        var option = new Option<int>(name) { Description = description, DefaultValueFactory = _ => fallback };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < min) r.AddError($"{name} must be at least {min}");
        });
        return option;
    }
}
