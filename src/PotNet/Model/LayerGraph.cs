namespace PotNet.Model;

/// <summary>
/// The wiring of a layer list, shared by the quantised and the float model: which layers each layer
/// reads (<see cref="Layer.Inputs"/>, by default the layer before), checked once. A chain has no
/// wiring; a residual block names the earlier layer its add reads.
/// </summary>
public static class LayerGraph
{
    /// <summary>The name by which <see cref="Layer.Inputs"/> refers to the model's input; no layer may have it.</summary>
    public const string ModelInput = "input";

    /// <summary>
    /// For each layer, the indices of the layers it reads (-1 for the model's input), checked: names
    /// unique, inputs earlier in the list, as many as the layer reads, and every output but the last
    /// layer's read by some layer. A weighted layer's residual source comes last (index
    /// <see cref="Layer.InputCount"/>), after its input.
    /// </summary>
    public static int[][] Sources(IReadOnlyList<Layer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var sources = new int[layers.Count][];
        var read = new bool[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            Layer layer = layers[i];
            if (layer.Name == ModelInput) throw new PotNetException($"layer '{layer.Name}': name: '{ModelInput}' names the model's input");
            IReadOnlyList<string> names = layer.Inputs.Count > 0 ? layer.Inputs : [i == 0 ? ModelInput : layers[i - 1].Name];
            if (names.Count != layer.InputCount)
            {
                throw new PotNetException($"layer '{layer.Name}': inputs: {names.Count} named, and a layer of type {layer.TypeName} reads {layer.InputCount}");
            }

            if (layer.Residual is string residual)
            {
                if (!layer.TakesResidual) throw new PotNetException($"layer '{layer.Name}': residual: a layer of type {layer.TypeName} has no accumulator to add '{residual}' into (only conv2d and dense take a residual source)");
                names = [.. names, residual];
            }

            sources[i] = names.Select((name, operand) => name == ModelInput ? -1
                : index.TryGetValue(name, out int source) ? source
                : throw new PotNetException($"layer '{layer.Name}': {(operand == layer.InputCount ? "residual" : "inputs")}: '{name}' is not an earlier layer (layers are listed so that each reads only layers before it)")).ToArray();
            foreach (int source in sources[i].Where(s => s >= 0)) read[source] = true;
            if (!index.TryAdd(layer.Name, i)) throw new PotNetException($"layer '{layer.Name}': name: used by two layers");
        }

        for (int i = 0; i < layers.Count - 1; i++)
        {
            if (!read[i]) throw new PotNetException($"layer '{layers[i].Name}': no layer reads its output (only the last layer's, the logits, is the model's output)");
        }

        return sources;
    }

    /// <summary>True when every layer reads only the layer before it: the network is a chain.</summary>
    public static bool IsChain(IReadOnlyList<int[]> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return sources.Select((s, i) => s.Length == 1 && s[0] == i - 1).All(chain => chain);
    }
}
