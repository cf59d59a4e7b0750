using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using PotNet.Bench;
using PotNet.Engines;

// One BenchmarkDotNet run over every engine, model and thread count; bench/run.sh turns the
// exported JSON into the table of medians and ratios. Argument: the artifacts directory.
string artifacts = args.Length > 0 ? Path.GetFullPath(args[0]) : Path.Combine(Environment.CurrentDirectory, "BenchmarkDotNet.Artifacts");
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithWarmupCount(3).WithIterationCount(15).WithLaunchCount(1))
    .AddColumn(StatisticColumn.Median)
    .AddExporter(JsonExporter.Brief)
    .WithArtifactsPath(artifacts)
    .WithOptions(ConfigOptions.JoinSummary);

var setup = new List<string> { $"FastEngine path: {FastPaths.Best}; logical cores: {Environment.ProcessorCount}" };
setup.AddRange(BenchModels.Names.Select(name => $"{name}: {BenchModels.Load(name).Source}"));
Directory.CreateDirectory(artifacts);
File.WriteAllLines(Path.Combine(artifacts, "setup.txt"), setup);
BenchmarkRunner.Run([BenchmarkConverter.TypeToBenchmarks(typeof(EngineBenchmarks), config)]);
