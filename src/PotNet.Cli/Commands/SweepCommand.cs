using System.CommandLine;
using PotNet.Cli.Pipeline;
using PotNet.Cli.Reports;
using PotNet.Training.Pruning;

namespace PotNet.Cli.Commands;

/// <summary>
/// <c>potnet sweep --weights pot4,uniform4 --sparsity 0,50%,70% --p 4,8 --l 8 [--shard i/n] --out DIR</c>:
/// every combination of weight format, pruning level and (P, L), or the slice <c>--shard i/n</c> of
/// them, written to <c>DIR/results-i-of-n.json</c>; <c>potnet report --merge</c> combines the shards.
/// One job per shard spreads a sweep over a cluster's batch scheduler (a Slurm job array, say).
/// </summary>
internal static class SweepCommand
{
    public static Command Create(Terminal terminal)
    {
        var experiment = new ExperimentOptions(images: 100, synth: SynthesisScope.Pe);
        var weights = new Option<string>("--weights") { Description = "Weight formats (comma-separated: pot4,uniform4,apot4,pot3,...).", DefaultValueFactory = _ => "pot4,uniform4" };
        var sparsity = new Option<string>("--sparsity") { Description = "Pruning targets (comma-separated; 0 is unpruned).", DefaultValueFactory = _ => "0" };
        var method = new Option<string>("--prune") { Description = "Pruning method for the nonzero targets: log or magnitude.", DefaultValueFactory = _ => "log" };
        method.AcceptOnlyFromAmong([.. PruningMethods.Names]);
        var parallel = new Option<string>("--p") { Description = "P values (comma-separated).", DefaultValueFactory = _ => "8" };
        var lanes = new Option<string>("--l") { Description = "L values (comma-separated).", DefaultValueFactory = _ => "8" };
        var shard = new Option<string>("--shard") { Description = "Run only slice i of n of the designs (i/n, 1-based).", DefaultValueFactory = _ => "1/1" };
        var output = new Option<string>("--out") { Description = "Directory for the shard's result file (and the cache, unless --cache).", Required = true };
        var command = new Command("sweep", "Run a grid of weight formats, pruning levels, P and L (or one --shard of it); merge shards with potnet report --merge.")
        {
            weights, sparsity, method, parallel, lanes, shard, output,
        };
        experiment.AddTo(command);
        command.SetGuardedAction(terminal, parse =>
        {
            Shard slice = Shard.Parse(parse.GetValue(shard)!);
            ExperimentPlan plan = experiment.Apply(parse, ExperimentPlan.Sweep(
                ExperimentOptions.List("--weights", parse.GetValue(weights)!, w => w),
                ExperimentOptions.Sparsities("--sparsity", parse.GetValue(sparsity)!),
                PruningMethods.Parse(parse.GetValue(method)!),
                ExperimentOptions.List("--p", parse.GetValue(parallel)!, Integer("--p")),
                ExperimentOptions.List("--l", parse.GetValue(lanes)!, Integer("--l"))));
            string directory = parse.GetValue(output)!;
            ResultSet set = experiment.Run(parse, terminal, plan, $"PotNet sweep {plan.Id()}: {plan.Model} on {plan.Data}", directory, slice);
            string file = Path.Combine(directory, $"results-{slice.Index}-of-{slice.Count}.json");
            Directory.CreateDirectory(directory);
            set.Save(file);
            ReproduceCommand.Summarize(terminal, set);
            terminal.Writer.WriteLine($"sweep {set.Sweep}, shard {slice}: {set.Points.Count} points in {file}; merge the shards with: potnet report --merge {Path.Combine(directory, "results-*.json")} --out REPORT_DIR");
            return ReproduceCommand.Failed(terminal, set);
        });
        return command;
    }

    private static Func<string, int> Integer(string option) => text =>
        int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n)
            ? n
            : throw new PotNetException($"{option}: '{text}' is not a whole number");
}
