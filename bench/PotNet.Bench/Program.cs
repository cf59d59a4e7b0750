using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using System.Text.Json;
using PotNet.Bench;
using PotNet.Engines;

// One BenchmarkDotNet run over every engine, model and thread count, and the kernel peak; bench/run.sh
// turns the exported JSON into the table of medians and ratios. Arguments: the artifacts directory, then
// optionally BenchmarkDotNet's own (e.g. --filter '*Batch256*'), or --quick for 1 warm-up and 5
// iterations while iterating. `--breakdown [path]` instead prints the per-step timings (Breakdown.cs).
if (args is ["--breakdown", ..])
{
    Breakdown.Run(Console.Out, args.Length > 1 ? Enum.Parse<FastPath>(args[1]) : FastPath.Auto);
    return;
}

string artifacts = args.Length > 0 ? Path.GetFullPath(args[0]) : Path.Combine(Environment.CurrentDirectory, "BenchmarkDotNet.Artifacts");
bool quick = args.Contains("--quick");
string[] rest = [.. args.Skip(1).Where(a => a != "--quick")];
var config = DefaultConfig.Instance
    .AddJob(quick ? Job.Default.WithWarmupCount(1).WithIterationCount(5).WithLaunchCount(1) : Job.Default.WithWarmupCount(3).WithIterationCount(15).WithLaunchCount(1))
    .AddColumn(StatisticColumn.Median)
    .AddExporter(JsonExporter.Brief)
    .WithArtifactsPath(artifacts)
    .WithOptions(ConfigOptions.JoinSummary);

var setup = new List<string> { $"FastEngine path: {FastPaths.Best}; logical cores: {Environment.ProcessorCount}" };
setup.AddRange(BenchModels.Names.Select(name => $"{name}: {BenchModels.Load(name).Source}"));
Directory.CreateDirectory(artifacts);
File.WriteAllLines(Path.Combine(artifacts, "setup.txt"), setup);
// Multiply-adds per image of each model and per invocation of each kernel, for the table's GMAC/s.
File.WriteAllText(Path.Combine(artifacts, "macs.json"), JsonSerializer.Serialize(new
{
    models = BenchModels.Names.ToDictionary(name => name, name => new FastEngine(BenchModels.Load(name).Model).MultiplyAdds),
    kernels = KernelPeak.Kernels.ToDictionary(k => k.Name, k => k.MultiplyAdds),
}));
BenchmarkSwitcher.FromTypes([typeof(EngineBenchmarks), typeof(KernelBenchmarks)]).Run(rest.Length > 0 ? rest : ["--filter", "*"], config);
