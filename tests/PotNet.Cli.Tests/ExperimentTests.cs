using PotNet.Cli.Reports;
using PotNet.Hardware.Energy;
using PotNet.Serialization;

namespace PotNet.Cli.Tests;

/// <summary>A small MNIST and one step cache shared by the experiment tests, so that a network trained by one is cached for the next.</summary>
public sealed class ExperimentFixture : IDisposable
{
    public ExperimentFixture()
    {
        Mnist = new MnistFixture();
        Root = Directory.CreateTempSubdirectory("potnet-experiment-").FullName;
        Data = SmallMnist.Write(Mnist, Path.Combine(Root, "small"), 600, 200);
        Cache = Path.Combine(Root, "cache");
    }

    public MnistFixture Mnist { get; }

    public string Root { get; }

    public string Data { get; }

    public string Cache { get; }

    /// <summary>The options that keep an experiment small: few epochs, three simulated images, no synthesis.</summary>
    public string[] Small => ["--data", Data, "--float-epochs", "1", "--epochs", "1", "--prune-rounds", "1", "--prune-epochs", "0", "--prune-lr", "0.003", "--images", "3", "--synth", "none", "--cache", Cache];

    public void Dispose()
    {
        Mnist.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}

/// <summary><c>potnet reproduce</c> and <c>potnet sweep</c> end to end on a small MNIST: the report, the cache, the shards.</summary>
public sealed class ExperimentTests(ExperimentFixture fixture) : IClassFixture<ExperimentFixture>
{
    private static readonly string[] Figures = ["pruning.png", "pruning-cycles.png", .. EnergyTable.Presets.SelectMany(t => (string[])[$"accuracy-energy-{t}.png", $"layer-energy-{t}.png", $"pruning-energy-{t}.png"])];

    private (int Code, string Out, string Error) Reproduce(string output, string sparsity, bool full = false) =>
        Cli.Run(["reproduce", .. fixture.Small, "--sparsity", sparsity, "--out", output, .. (full ? (string[])["--full"] : [])]);

    [Fact]
    public void Reproduce_writes_the_report_a_rerun_takes_from_the_cache_and_a_changed_input_reruns_its_steps()
    {
        string output = Path.Combine(fixture.Root, "reproduce");
        var first = Reproduce(output, "50%", full: true);
        Assert.True(first.Code == 0, first.Error);
        foreach (string file in (string[])["report.md", "report.html", "report.json", .. Figures]) Assert.True(File.Exists(Path.Combine(output, file)), file);
        ResultSet set = ResultSet.Load(Path.Combine(output, "report.json"));
        // --prune-lr reaches the pruned networks' fine-tuning, and their provenance says so.
        string[] prunedModels = Directory.GetFiles(Path.Combine(fixture.Cache, "prune"), "model.potnet", SearchOption.AllDirectories);
        Assert.NotEmpty(prunedModels);
        Assert.All(prunedModels, m => Assert.Equal("0.003", ModelFile.Load(m).Provenance.Settings["prune.learning_rate"]));

        // --full: the float network and thirteen designs: the paper's (uniform4 on MAC with DSP and LUT
        // multipliers, pot4 on BAC, pruned pot4 on BAC), then apot4 on APoT, uniform3 on MAC, pot3 on
        // BAC, then uniform4, pot4, apot4 and pot3 on the row-buffer dataflow, then pot4 pruned with
        // log and with magnitude on the row-buffer dataflow with zero skipping.
        Assert.Equal(14, set.Points.Count);
        ResultPoint[] designs = [.. set.Points.Where(p => p.Design is not null)];
        Assert.Equal(["mac", "mac", "bac", "bac", "apot", "mac", "bac", "mac", "bac", "apot", "bac", "bac", "bac"], designs.Select(p => p.Design!.Pe));
        Assert.Equal([.. Enumerable.Repeat("stream", 7), .. Enumerable.Repeat("rowbuffer", 6)], designs.Select(p => p.Design!.Dataflow));
        Assert.Equal([.. Enumerable.Repeat(false, 11), true, true], designs.Select(p => p.Design!.ZeroSkipping));
        Assert.Equal(["log", "magnitude"], designs[11..].Select(p => p.Pruning));
        // Skipping never adds a cycle to the dense row-buffer pot4 design's.
        Assert.All(designs[11..], p => Assert.True(p.Design!.CyclesPerInference <= designs[8].Design!.CyclesPerInference, p.Id));
        // The same networks on both dataflows compute the same thing in fewer memory accesses: less energy under every table.
        foreach (ResultPoint rb in designs[7..11])
        {
            ResultPoint st = designs.First(p => p.Weights == rb.Weights && p.Sparsity == 0 && p.Design!.Pe == rb.Design!.Pe && p.Design.Mac == rb.Design.Mac && p.Design.Dataflow == "stream");
            Assert.All(rb.Design!.Energy, e => Assert.True(e.DynamicPicojoules < st.EnergyUnder(e.Table)!.DynamicPicojoules, $"{rb.Id} {e.Table}"));
        }
        foreach (ResultPoint p in designs)
        {
            Assert.Equal((3, 0, null), (p.Design!.VerifiedImages, p.Design.Mismatches, p.Design.Failure));
            Assert.Equal(EnergyTable.Presets, p.Design.Energy.Select(e => e.Table));
            Assert.All(p.Design.Energy, e => Assert.True(e.TotalPicojoules > 0));
            Assert.InRange(p.Accuracy!.Value, 0.1, 1.0);
        }

        ResultPoint pruned = Assert.Single(designs, p => p.Pruning == "log" && !p.Design!.ZeroSkipping);
        Assert.InRange(pruned.ZeroWeights!.Value, 0.49, 0.51);
        Assert.NotNull(ReportBuilder.Baseline(set));
        Assert.NotNull(set.Switching);
        Assert.All(set.Steps!, s => Assert.True(s.Ran, s.Step));
        string html = File.ReadAllText(Path.Combine(output, "report.html"));
        Assert.Equal(Figures.Length, html.Split("src=\"data:image/png;base64,").Length - 1);
        Assert.Contains("an energy model, not a measurement", File.ReadAllText(Path.Combine(output, "report.md")), StringComparison.Ordinal);

        var again = Reproduce(output, "50%", full: true);
        Assert.True(again.Code == 0, again.Error);
        ResultSet rerun = ResultSet.Load(Path.Combine(output, "report.json"));
        Assert.All(rerun.Steps!, s => Assert.False(s.Ran, s.Step));
        Assert.Equal(set.Steps!.Select(s => (s.Step, s.Seconds)), rerun.Steps!.Select(s => (s.Step, s.Seconds)));
        Assert.Equal(Json(set.Points), Json(rerun.Points));

        // The default plan is the paper's part of --full and uniform4 and pot4 on the row-buffer
        // dataflow, unsynthesised: every step cached, the same numbers, no resources or timing for
        // those two, no switching activity.
        string paperOutput = Path.Combine(fixture.Root, "reproduce-paper");
        var paper = Reproduce(paperOutput, "50%");
        Assert.True(paper.Code == 0, paper.Error);
        ResultSet paperSet = ResultSet.Load(Path.Combine(paperOutput, "report.json"));
        Assert.All(paperSet.Steps!, s => Assert.False(s.Ran, s.Step));
        ResultPoint[] rowBuffer = [.. designs[7..11].Where(p => p.Weights is "uniform4" or "pot4").Select(p => p with { Design = p.Design! with { Resources = null, Timing = null } })];
        Assert.Equal(Json([.. set.Points.Take(5), .. rowBuffer]), Json(paperSet.Points));
        Assert.Null(paperSet.Switching);

        var changed = Reproduce(paperOutput, "60%");
        Assert.True(changed.Code == 0, changed.Error);
        string[] ran = [.. ResultSet.Load(Path.Combine(paperOutput, "report.json")).Steps!.Where(s => s.Ran).Select(s => s.Step)];
        Assert.Equal(2, ran.Length);
        Assert.StartsWith("prune ", ran[0], StringComparison.Ordinal);
        Assert.StartsWith("design ", ran[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_failing_step_is_one_line_naming_it_finished_steps_stay_and_a_rerun_resumes()
    {
        string output = Path.Combine(fixture.Root, "failing"), cache = Path.Combine(output, "cache");
        string[] sweep = ["sweep", .. fixture.Small[..^2], "--cache", cache, "--weights", "pot4", "--p", "8", "--l", "8", "--out", output];
        var first = Cli.Run(sweep);
        Assert.True(first.Code == 0, first.Error);

        // A corrupt float checkpoint: the QAT step's input changed, so it runs again, in its worker process, and fails.
        string checkpoint = Directory.GetFiles(Path.Combine(cache, "train-float"), "run.ckpt", SearchOption.AllDirectories).Single();
        byte[] good = File.ReadAllBytes(checkpoint);
        File.WriteAllBytes(checkpoint, good[..64]);
        var failed = Cli.Run(sweep);
        Assert.Equal(PotNetCommand.InputError, failed.Code);
        string error = Assert.Single(failed.Error.Split('\n'), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains("step 'train lenet5 pot4 (1 QAT epochs)' failed: ", error, StringComparison.Ordinal);
        Assert.Contains("run.ckpt", error, StringComparison.Ordinal);
        Assert.Single(Directory.GetDirectories(Path.Combine(cache, "train-qat")), d => !Path.GetFileName(d).StartsWith('.'));
        Assert.Empty(Directory.GetDirectories(Path.Combine(cache, "train-qat"), ".*"));

        File.WriteAllBytes(checkpoint, good);
        var resumed = Cli.Run(sweep);
        Assert.True(resumed.Code == 0, resumed.Error);
        Assert.All(ResultSet.Load(Path.Combine(output, "results-1-of-1.json")).Steps!, s => Assert.False(s.Ran, s.Step));
    }

    [Theory]
    [InlineData("ABRT", "SIGABRT")]
    [InlineData("SEGV", "SIGSEGV")]
    public void A_worker_killed_by_a_signal_is_named_with_the_signal(string signal, string name)
    {
        using var child = System.Diagnostics.Process.Start("sh", ["-c", $"echo 'Unhandled exception. libtorch: Expected false to be true' >&2; kill -{signal} $$"]);
        child.WaitForExit();
        string cause = PotNet.Cli.Pipeline.StepProcess.Cause(child.ExitCode, "Unhandled exception. libtorch: Expected false to be true\n   at TorchSharp.X()\n");
        Assert.Equal($"the worker process was killed by {name} (a native fault in libtorch): Unhandled exception. libtorch: Expected false to be true", cause);
    }

    [Fact]
    public void Sweep_shards_cover_the_grid_once_and_merge_into_one_report()
    {
        string output = Path.Combine(fixture.Root, "sweep");
        string[] Sweep(string lanes, string shard) => ["sweep", .. fixture.Small, "--weights", "pot4,uniform4", "--p", "4,8", "--l", lanes, "--shard", shard, "--out", output];
        foreach (string shard in (string[])["1/2", "2/2"])
        {
            var run = Cli.Run(Sweep("8", shard));
            Assert.True(run.Code == 0, run.Error);
        }

        ResultSet one = ResultSet.Load(Path.Combine(output, "results-1-of-2.json")), two = ResultSet.Load(Path.Combine(output, "results-2-of-2.json"));
        Assert.Equal(one.Sweep, two.Sweep);
        string[] designs = [.. one.Points.Concat(two.Points).Where(p => p.Design is not null).Select(p => p.Id)];
        Assert.Equal(4, designs.Length);
        Assert.Equal(4, designs.Distinct().Count());

        string report = Path.Combine(fixture.Root, "merged");
        var merge = Cli.Run("report", "--merge", Path.Combine(output, "results-1-of-2.json"), Path.Combine(output, "results-2-of-2.json"), "--out", report);
        Assert.True(merge.Code == 0, merge.Error);
        ResultSet merged = ResultSet.Load(Path.Combine(report, "report.json"));
        Assert.Equal(designs.Order(StringComparer.Ordinal), merged.Points.Where(p => p.Design is not null).Select(p => p.Id).Order(StringComparer.Ordinal));
        Assert.Contains(merged.Points, p => p.Weights == "float");

        // Another grid is another sweep: its shard does not merge with these.
        string other = Path.Combine(fixture.Root, "other");
        var run4 = Cli.Run(["sweep", .. fixture.Small, "--weights", "pot4", "--p", "8", "--l", "8", "--out", other]);
        Assert.True(run4.Code == 0, run4.Error);
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("report", "--merge", Path.Combine(output, "results-1-of-2.json"), Path.Combine(other, "results-1-of-1.json"), "--out", report), "different sweeps");
    }

    [Fact]
    public void Bad_options_get_one_clear_message()
    {
        string output = Path.Combine(fixture.Root, "bad");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("reproduce", "--data", fixture.Data, "--sparsity", "120%", "--out", output), "--sparsity");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("reproduce", "--data", Path.Combine(fixture.Root, "none"), "--out", output), "none");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("sweep", "--data", fixture.Data, "--weights", "pot9", "--out", output), "pot9");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("sweep", "--data", fixture.Data, "--p", "0", "--out", output), "--p");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("sweep", "--data", fixture.Data, "--l", "eight", "--out", output), "eight");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("sweep", "--data", fixture.Data, "--shard", "3/2", "--out", output), "--shard");
        Cli.AssertFails(PotNetCommand.UsageError, Cli.Run("reproduce", "--synth", "some"), "some");
        Cli.AssertFails(PotNetCommand.UsageError, Cli.Run("reproduce", "--prune-lr", "0"), "--prune-lr");
        Assert.False(Directory.Exists(output));
    }

    private static string Json(IReadOnlyList<ResultPoint> points) => System.Text.Json.JsonSerializer.Serialize(points);
}
