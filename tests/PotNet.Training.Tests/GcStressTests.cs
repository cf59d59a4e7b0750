using System.Diagnostics;

namespace PotNet.Training.Tests;

/// <summary>
/// QAT and pruning under a thread that forces collections and finalizers without pause, in a child
/// process: a native object freed while libtorch reads it aborts that process (SIGABRT, SIGSEGV), and
/// this test reports its exit code and last lines instead of the test run dying. The code before the
/// Scalar fix died within its first run, 3 of 3 times (docs/architecture.md, "Training").
/// </summary>
[Collection(MnistGroup.Name)]
public sealed class GcStressTests(MnistFixture mnist)
{
    [Fact]
    public async Task Training_and_pruning_survive_a_minute_of_forced_collections()
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "PotNet.Training.Stress.dll"));
        start.ArgumentList.Add(mnist.Directory);
        start.ArgumentList.Add("60");
        using Process child = Process.Start(start)!;
        Task<string> reading = child.StandardOutput.ReadToEndAsync();
        Task<string> readingErrors = child.StandardError.ReadToEndAsync();
        await child.WaitForExitAsync();
        string output = await reading, error = await readingErrors;

        string Tail(string text) => string.Join('\n', text.Split('\n').Where(l => !l.StartsWith("   at TorchSharp.PInvoke", StringComparison.Ordinal)).TakeLast(25));
        Assert.True(child.ExitCode == 0, $"exit code {child.ExitCode} (134: SIGABRT, 139: SIGSEGV)\n{Tail(output)}\n{Tail(error)}");
        Assert.Contains("no fault", output, StringComparison.Ordinal);
        Assert.Contains("run 1: ", output, StringComparison.Ordinal);
    }
}
