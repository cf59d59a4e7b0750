using System.CommandLine;
using PotNet.Cli.Reports;

namespace PotNet.Cli.Commands;

/// <summary><c>potnet report [--merge] RESULTS.json... --out DIR</c>: renders results, merging the shards of a sweep.</summary>
internal static class ReportCommand
{
    public static Command Create(Terminal terminal)
    {
        var files = new Argument<string[]>("results") { Description = "Result files (report.json of a run, or one per sweep shard).", Arity = ArgumentArity.OneOrMore };
        var merge = new Option<bool>("--merge") { Description = "Combine the shards of one sweep into one report." };
        var output = new Option<string>("--out") { Description = "Directory for report.md, report.html, report.json and the figures.", Required = true };
        var command = new Command("report", "Write report.md, report.html and report.json from result files; --merge combines sweep shards.") { files, merge, output };
        command.SetGuardedAction(terminal, parse =>
        {
            string[] paths = parse.GetValue(files)!;
            if (paths.Length > 1 && !parse.GetValue(merge)) throw new PotNetException("report: several result files need --merge");
            ResultSet set = ResultSet.Merge(paths.Select(p => (p, ResultSet.Load(p))).ToArray());
            string directory = parse.GetValue(output)!;
            ReportBuilder.Write(set, directory);
            terminal.Writer.WriteLine($"report: {set.Points.Count} points from {paths.Length} file(s) in {Path.Combine(directory, "report.html")}");
            return 0;
        });
        return command;
    }
}
