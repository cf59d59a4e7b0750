using PotNet.Cli.Pipeline;

namespace PotNet.Cli.Tests.Reports;

public sealed class StepCacheTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("potnet-cache-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (string Folder, bool Ran) Run(StepCache cache, StepKey key, Action<string> work, bool force = false) =>
        cache.RunAsync(key, dir =>
        {
            work(dir);
            return Task.CompletedTask;
        }, force).GetAwaiter().GetResult();

    /// <summary>A two-step pipeline: "train" writes a model from a seed, "verify" reads it.</summary>
    private static (bool TrainRan, bool VerifyRan) Pipeline(StepCache cache, int seed, int images, bool force = false)
    {
        (string trained, bool trainRan) = Run(cache, new StepKey("train", 1).With("seed", seed), dir => File.WriteAllText(Path.Combine(dir, "model.txt"), $"model {seed % 2}"), force);
        (_, bool verifyRan) = Run(
            cache,
            new StepKey("verify", 1).With("images", images).WithFile("model", Path.Combine(trained, "model.txt")),
            dir => File.WriteAllText(Path.Combine(dir, "verified.txt"), "ok"),
            force);
        return (trainRan, verifyRan);
    }

    [Fact]
    public void A_rerun_skips_finished_steps()
    {
        var cache = new StepCache(_dir);
        Assert.Equal((true, true), Pipeline(cache, 1, 100));
        Assert.Equal((false, false), Pipeline(cache, 1, 100));
    }

    [Fact]
    public void A_changed_parameter_reruns_its_step_only()
    {
        var cache = new StepCache(_dir);
        Pipeline(cache, 1, 100);
        Assert.Equal((false, true), Pipeline(cache, 1, 200));
    }

    [Fact]
    public void A_changed_input_reruns_its_step_and_the_steps_after_it()
    {
        var cache = new StepCache(_dir);
        Pipeline(cache, 1, 100);
        Assert.Equal((true, true), Pipeline(cache, 2, 100));
    }

    [Fact]
    public void Downstream_keys_follow_content_not_paths()
    {
        // Seeds 1 and 3 train to the same bytes: the verify step's key is unchanged, so it does not rerun.
        var cache = new StepCache(_dir);
        Pipeline(cache, 1, 100);
        Assert.Equal((true, false), Pipeline(cache, 3, 100));
    }

    [Fact]
    public void Force_reruns_everything()
    {
        var cache = new StepCache(_dir);
        Pipeline(cache, 1, 100);
        Assert.Equal((true, true), Pipeline(cache, 1, 100, force: true));
    }

    [Fact]
    public void A_failed_step_leaves_nothing_behind_and_runs_again()
    {
        var cache = new StepCache(_dir);
        var key = new StepKey("flaky", 1);
        Assert.Throws<InvalidOperationException>(() => Run(cache, key, dir =>
        {
            File.WriteAllText(Path.Combine(dir, "half.txt"), "x");
            throw new InvalidOperationException("interrupted");
        }));
        Assert.False(cache.Has(key));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_dir, "flaky")));
        Assert.True(Run(cache, key, _ => { }).Ran);
    }

    [Fact]
    public void A_missing_input_is_named()
    {
        var ex = Assert.Throws<PotNetException>(() => new StepKey("verify", 1).WithFile("model", Path.Combine(_dir, "none.potnet")));
        Assert.Contains("verify: input 'model'", ex.Message, StringComparison.Ordinal);
    }
}
