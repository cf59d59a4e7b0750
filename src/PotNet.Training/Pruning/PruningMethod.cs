namespace PotNet.Training.Pruning;

/// <summary>How weights are chosen for pruning.</summary>
public enum PruningMethod
{
    /// <summary>
    /// Pruning adapted to logarithmic quantisation and zero skipping: whole weight columns of the PE
    /// groups, chosen by the whole network's loss increase estimated on the PoT-quantised weights per
    /// energy saved (products skipped, and zero codes added).
    /// </summary>
    Log,

    /// <summary>Global magnitude pruning: the weight columns of smallest RMS float weight in the whole network, one threshold for all layers.</summary>
    Magnitude,
}

/// <summary>The names of <see cref="PruningMethod"/> on the command line and in provenance.</summary>
public static class PruningMethods
{
    /// <summary>Every method's name.</summary>
    public static IReadOnlyList<string> Names { get; } = ["log", "magnitude"];

    /// <summary>The method's name: <c>log</c> or <c>magnitude</c>.</summary>
    public static string Name(this PruningMethod method) => method switch
    {
        PruningMethod.Log => "log",
        PruningMethod.Magnitude => "magnitude",
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    /// <summary>The method named <paramref name="name"/>.</summary>
    /// <exception cref="PotNetException">No method has that name.</exception>
    public static PruningMethod Parse(string name) => name switch
    {
        "log" => PruningMethod.Log,
        "magnitude" => PruningMethod.Magnitude,
        _ => throw new PotNetException($"pruning method: '{name}' is not one of {string.Join(", ", Names)}"),
    };
}
