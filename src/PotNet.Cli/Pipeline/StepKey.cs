using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PotNet.Cli.Pipeline;

/// <summary>
/// What a pipeline step's result depends on: the step's name and version, its parameters, and the
/// content of its input files (typically earlier steps' outputs). Its hash names the cached result,
/// so a change to any of them, or to anything upstream, gives a new key and the step runs again.
/// </summary>
internal sealed class StepKey
{
    private readonly SortedDictionary<string, string> _parameters = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, string> _inputs = new(StringComparer.Ordinal);

    /// <summary>A key for step <paramref name="step"/>; bump <paramref name="version"/> when the step's code changes its output.</summary>
    public StepKey(string step, int version)
    {
        Step = step;
        Version = version;
    }

    /// <summary>The step's name; also the cache folder its results live under.</summary>
    public string Step { get; }

    /// <summary>The step's version.</summary>
    public int Version { get; }

    /// <summary>Adds a parameter.</summary>
    public StepKey With(string name, object? value)
    {
        _parameters[name] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
        return this;
    }

    /// <summary>Adds an input file, keyed by its content (a missing file is an error: its step has not run).</summary>
    public StepKey WithFile(string name, string path)
    {
        if (!File.Exists(path)) throw new PotNetException($"{Step}: input '{name}' ({path}) does not exist");
        using FileStream stream = File.OpenRead(path);
        _inputs[name] = Convert.ToHexStringLower(SHA256.HashData(stream));
        return this;
    }

    /// <summary>The parameters and input digests, for the record kept beside a result.</summary>
    public IReadOnlyDictionary<string, string> Parameters => _parameters;

    /// <summary>Input names and the SHA-256 of their content.</summary>
    public IReadOnlyDictionary<string, string> Inputs => _inputs;

    /// <summary>The SHA-256 of everything above, in hex; its first 16 characters name the result folder.</summary>
    public string Hash()
    {
        var text = new StringBuilder().Append(Step).Append('\n').Append(Version.ToString(CultureInfo.InvariantCulture)).Append('\n');
        foreach ((string k, string v) in _parameters) text.Append("p ").Append(k).Append('=').Append(v).Append('\n');
        foreach ((string k, string v) in _inputs) text.Append("i ").Append(k).Append('=').Append(v).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
