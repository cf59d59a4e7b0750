using System.Globalization;
using System.Text.Json;

namespace PotNet.Cli.Pipeline;

/// <summary>
/// Runs an experiment's steps through a <see cref="StepCache"/>: one line per step saying whether it
/// ran (and how long it took) or was found in the cache, a progress bar while it runs, and the
/// step's <c>result.json</c> read back either way.
/// </summary>
internal sealed class StepRunner(StepCache cache, Terminal terminal, bool force)
{
    private const string ResultFile = "result.json";

    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    private readonly List<StepTiming> _timings = [];
    private readonly Dictionary<string, (string Folder, object? Result)> _seen = new(StringComparer.Ordinal);

    /// <summary>Each step met so far: its name, whether it ran in this run, and how long it took when it ran.</summary>
    public IReadOnlyList<StepTiming> Timings => _timings;

    /// <summary>
    /// The folder of <paramref name="key"/>'s result and its <c>result.json</c>: from the cache, or made
    /// by <paramref name="work"/> (given the folder to fill and a progress callback, done of total). A step
    /// met again in the same run (the float network, for every network fine-tuned from it) is answered at once.
    /// </summary>
    public (string Folder, T Result) Run<T>(StepKey key, string title, Func<string, Action<int, int>, T> work)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(work);
        string hash = key.Hash();
        if (_seen.TryGetValue(hash, out var seen)) return (seen.Folder, (T)seen.Result!);
        (string folder, bool ran) = cache.Run(key, scratch =>
        {
            terminal.Error.WriteLine($"{title}: running");
            T result = terminal.WithProgress(title, progress => work(scratch, progress));
            using FileStream stream = File.Create(Path.Combine(scratch, ResultFile));
            JsonSerializer.Serialize(stream, result, Options);
        }, force);
        double seconds = cache.Seconds(key);
        _timings.Add(new StepTiming(title, ran, seconds));
        terminal.Error.WriteLine(ran
            ? string.Create(CultureInfo.InvariantCulture, $"{title}: done in {seconds:F1} s")
            : string.Create(CultureInfo.InvariantCulture, $"{title}: cached, made in {seconds:F1} s ({Path.GetRelativePath(cache.Root, folder)})"));
        using FileStream read = File.OpenRead(Path.Combine(folder, ResultFile));
        T stored = JsonSerializer.Deserialize<T>(read, Options) ?? throw new PotNetException($"{folder}: {ResultFile} is empty");
        _seen[hash] = (folder, stored);
        return (folder, stored);
    }
}

/// <summary>One step of a run: whether it ran or came from the cache, and the wall time it took when it ran (in this run or an earlier one).</summary>
internal sealed record StepTiming(string Step, bool Ran, double Seconds);
