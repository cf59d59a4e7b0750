using System.Diagnostics;
using System.Text.Json;

namespace PotNet.Cli.Pipeline;

/// <summary>
/// Runs pipeline steps at most once per <see cref="StepKey"/>: a step writes its outputs into a fresh
/// folder, which becomes <c>root/step/hash</c> only when the step succeeds (with a <c>step.json</c>
/// recording its key), so a rerun finds finished work and an interrupted step leaves nothing behind.
/// </summary>
internal sealed class StepCache(string root)
{
    private const string Record = "step.json";

    /// <summary>The cache's root folder.</summary>
    public string Root { get; } = Path.GetFullPath(root);

    /// <summary>Where <paramref name="key"/>'s result lives (whether or not it exists yet).</summary>
    public string PathOf(StepKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Path.Combine(Root, key.Step, key.Hash()[..16]);
    }

    /// <summary>True when <paramref name="key"/>'s result is in the cache.</summary>
    public bool Has(StepKey key) => File.Exists(Path.Combine(PathOf(key), Record));

    /// <summary>The wall time, in seconds, that <paramref name="key"/>'s step took when it ran (its record says).</summary>
    public double Seconds(StepKey key)
    {
        using FileStream stream = File.OpenRead(Path.Combine(PathOf(key), Record));
        using JsonDocument record = JsonDocument.Parse(stream);
        return record.RootElement.GetProperty("seconds").GetDouble();
    }

    /// <summary>
    /// The folder holding <paramref name="key"/>'s result: the cached one, or (when missing, or when
    /// <paramref name="force"/>) a new one that <paramref name="run"/> fills. Returns whether it ran.
    /// </summary>
    public async Task<(string Folder, bool Ran)> RunAsync(StepKey key, Func<string, Task> run, bool force = false)
    {
        ArgumentNullException.ThrowIfNull(run);
        string final = PathOf(key);
        if (!force && Has(key)) return (final, false);

        string parent = Path.GetDirectoryName(final)!;
        Directory.CreateDirectory(parent);
        string scratch = Path.Combine(parent, $".{Path.GetFileName(final)}.{Guid.NewGuid():N}.partial");
        Directory.CreateDirectory(scratch);
        try
        {
            var clock = Stopwatch.StartNew();
            await run(scratch).ConfigureAwait(false);
            WriteRecord(scratch, key, clock.Elapsed.TotalSeconds);
            if (Directory.Exists(final)) Directory.Delete(final, recursive: true);
            Directory.Move(scratch, final);
            return (final, true);
        }
        finally
        {
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
    }

    private static void WriteRecord(string folder, StepKey key, double seconds)
    {
        using FileStream stream = File.Create(Path.Combine(folder, Record));
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("step", key.Step);
        json.WriteNumber("version", key.Version);
        json.WriteString("hash", key.Hash());
        json.WriteNumber("seconds", seconds);
        json.WriteStartObject("parameters");
        foreach ((string k, string v) in key.Parameters) json.WriteString(k, v);
        json.WriteEndObject();
        json.WriteStartObject("inputs");
        foreach ((string k, string v) in key.Inputs) json.WriteString(k, v);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
