using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using PotNet.Bench;
using PotNet.Engines;

// One run: every engine, model and thread count, then a Markdown table of medians for docs/results.md.
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(15).WithLaunchCount(1))
    .AddColumn(StatisticColumn.Median)
    .WithOptions(ConfigOptions.JoinSummary);
Summary summary = BenchmarkRunner.Run([BenchmarkConverter.TypeToBenchmarks(typeof(FastEngineBenchmarks), config)])[0];

Console.WriteLine();
Console.WriteLine($"FastEngine path: {FastPaths.Best}; cores: {Environment.ProcessorCount}");
foreach (string name in BenchModels.Names) Console.WriteLine($"{name}: {BenchModels.Load(name).Source}");
Console.WriteLine();
Console.WriteLine("| model | threads | engine | batch-1 latency (median, us) | batch-256 (median, ms) | batch-256 throughput (images/s) |");
Console.WriteLine("|---|---|---|---|---|---|");
foreach (var group in summary.Reports.GroupBy(r => (Model: (string)r.BenchmarkCase.Parameters["Model"], Threads: (int)r.BenchmarkCase.Parameters["Threads"])))
{
    double Median(string method) => group.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method).ResultStatistics!.Median;
    double latency = Median(nameof(FastEngineBenchmarks.Batch1)) / 1e3, batch = Median(nameof(FastEngineBenchmarks.Batch256)) / 1e6;
    Console.WriteLine($"| {group.Key.Model} | {group.Key.Threads} | fast | {latency:F1} | {batch:F2} | {FastEngineBenchmarks.Batch / batch * 1e3:F0} |");
}
