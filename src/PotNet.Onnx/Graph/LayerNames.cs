namespace PotNet.Onnx.Graph;

/// <summary>File-safe, unique layer names: from the weight (<c>conv1.weight</c>: conv1), else the node's name.</summary>
internal sealed class LayerNames
{
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    /// <summary>The name <paramref name="preferred"/> suggests, else <paramref name="fallback"/>'s, made unique.</summary>
    public string Unique(string preferred, string fallback)
    {
        string name = Suggest(preferred, fallback);
        if (name.Length == 0) name = $"layer{_used.Count}";
        string unique = name;
        // The model's input has its name in a layer's inputs, so no layer may take it.
        for (int i = 2; unique == Model.LayerGraph.ModelInput || !_used.Add(unique); i++) unique = $"{name}_{i}";
        return unique;
    }

    /// <summary>The cleaned name before uniqueness ("" when neither gives one).</summary>
    public static string Suggest(string preferred, string fallback)
    {
        static string Clean(string s) => new string(s.Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' ? c : '_').ToArray()).Trim('_', '.', '-');
        string name = Clean(preferred.EndsWith(".weight", StringComparison.Ordinal) ? preferred[..^".weight".Length] : preferred);
        if (name.Length == 0 || name.Length > 64) name = Clean(fallback);
        return name.Length is 0 or > 64 ? "" : name;
    }
}
