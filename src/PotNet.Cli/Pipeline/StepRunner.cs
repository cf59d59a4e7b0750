using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;

namespace PotNet.Cli.Pipeline;

/// <summary>
/// Runs an experiment's steps through a <see cref="StepCache"/>, up to <c>jobs</c> at a time: one line
/// per step saying whether it ran (and how long it took) or was found in the cache, progress while it
/// runs, and the step's <c>result.json</c> read back either way. A step waits for the steps it needs
/// before it takes a slot, so independent steps (a synthesis beside the next simulation, two trainings)
/// run side by side. After a step fails no new step starts; those running finish and stay cached, and
/// the run ends with that failure (<see cref="StepFailedException"/>), so a rerun resumes.
/// </summary>
internal sealed class StepRunner(StepCache cache, Terminal terminal, bool force, int jobs) : IDisposable
{
    private const string ResultFile = "result.json";

    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    private readonly SemaphoreSlim _slots = new(Math.Max(1, jobs));
    private readonly ConcurrentDictionary<string, Lazy<Task<(string Folder, object? Result)>>> _steps = new(StringComparer.Ordinal);
    // The report lists steps in pipeline order, whatever order they finished in.
    private static readonly string[] StepOrder = ["train-float", "train-qat", "prune", "design", "synth", "timing", "switching"];

    private readonly List<(int Order, StepTiming Timing)> _timings = [];
    private readonly CancellationTokenSource _stop = new();
    private StepFailedException? _failure;

    /// <summary>Each step met so far: its name, whether it ran in this run, and how long it took when it ran.</summary>
    public IReadOnlyList<StepTiming> Timings
    {
        get
        {
            lock (_timings) return [.. _timings.OrderBy(t => t.Order).ThenBy(t => t.Timing.Step, StringComparer.Ordinal).Select(t => t.Timing)];
        }
    }

    /// <summary>Where design steps keep their simulator builds for designs with the same Verilog (see <see cref="PotNet.Hardware.Simulation.Design.Build"/>).</summary>
    public string SimulatorBuilds => Path.Combine(cache.Root, "simulator-builds");

    /// <summary>The first step that failed, if any.</summary>
    public StepFailedException? Failure => _failure;

    /// <summary>
    /// The folder of <paramref name="key"/>'s result and its <c>result.json</c>: from the cache, or made
    /// by <paramref name="work"/> (given the folder to fill and a progress callback, done of total). A step
    /// met again in the same run (the float network, for every network fine-tuned from it) is the same task.
    /// </summary>
    public async Task<(string Folder, T Result)> RunAsync<T>(StepKey key, string title, Func<string, Action<int, int>, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(work);
        var step = _steps.GetOrAdd(key.Hash(), _ => new Lazy<Task<(string, object?)>>(() => Execute(key, title, work)));
        (string folder, object? result) = await step.Value.ConfigureAwait(false);
        return (folder, (T)result!);
    }

    /// <summary>A synchronous <paramref name="work"/> on a pool thread, as a step.</summary>
    public Task<(string Folder, T Result)> RunAsync<T>(StepKey key, string title, Func<string, Action<int, int>, T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunAsync(key, title, (folder, progress) => Task.Run(() => work(folder, progress)));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _slots.Dispose();
        _stop.Dispose();
    }

    private async Task<(string, object?)> Execute<T>(StepKey key, string title, Func<string, Action<int, int>, Task<T>> work)
    {
        bool ran = false;
        if (force || !cache.Has(key))
        {
            await _slots.WaitAsync(_stop.Token).ConfigureAwait(false);
            try
            {
                _stop.Token.ThrowIfCancellationRequested();
                (_, ran) = await cache.RunAsync(key, async scratch =>
                {
                    terminal.Status($"{title}: running");
                    T result = await terminal.WithProgressAsync(title, progress => work(scratch, progress)).ConfigureAwait(false);
                    await using FileStream stream = File.Create(Path.Combine(scratch, ResultFile));
                    await JsonSerializer.SerializeAsync(stream, result, Options).ConfigureAwait(false);
                }, force).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                var failure = new StepFailedException($"step '{title}' failed: {(ex is StepFailedException ? ex.Message : ex.Message.ReplaceLineEndings(" "))}", ex);
                if (Interlocked.CompareExchange(ref _failure, failure, null) is null) await _stop.CancelAsync().ConfigureAwait(false);
                throw failure;
            }
            finally
            {
                _slots.Release();
            }
        }

        string folder = cache.PathOf(key);
        double seconds = cache.Seconds(key);
        int order = Array.IndexOf(StepOrder, key.Step);
        lock (_timings) _timings.Add((order < 0 ? StepOrder.Length : order, new StepTiming(title, ran, seconds)));
        terminal.Status(ran
            ? string.Create(CultureInfo.InvariantCulture, $"{title}: done in {seconds:F1} s")
            : string.Create(CultureInfo.InvariantCulture, $"{title}: cached, made in {seconds:F1} s ({Path.GetRelativePath(cache.Root, folder)})"));
        await using FileStream read = File.OpenRead(Path.Combine(folder, ResultFile));
        T stored = await JsonSerializer.DeserializeAsync<T>(read, Options).ConfigureAwait(false) ?? throw new PotNetException($"{folder}: {ResultFile} is empty");
        return (folder, stored);
    }
}

/// <summary>One step of a run: whether it ran or came from the cache, and the wall time it took when it ran (in this run or an earlier one).</summary>
internal sealed record StepTiming(string Step, bool Ran, double Seconds);
