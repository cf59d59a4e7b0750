namespace PotNet.Model;

/// <summary>
/// One layer of a network. A network is a list of layers in topological order: each reads the
/// activations of the layer before it, unless <see cref="Inputs"/> names others (a residual branch),
/// so that a chain, the common case, needs no wiring at all. Layers are immutable.
/// </summary>
public abstract class Layer
{
    /// <summary>Creates a layer; the name must be non-empty and made of letters, digits, '_', '-' and '.'.</summary>
    protected Layer(string name)
    {
        if (string.IsNullOrEmpty(name) || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw new PotNetException($"layer name '{name}' is not valid: use letters, digits, '_', '-' and '.'");
        }

        Name = name;
    }

    /// <summary>The layer's name, unique within its model; tensors in a .potnet file are named after it.</summary>
    public string Name { get; }

    /// <summary>
    /// The layers whose outputs this layer reads, by name (<see cref="LayerGraph.ModelInput"/> for the
    /// model's input); empty, the default, for the layer before it (the model's input for the first).
    /// </summary>
    public IReadOnlyList<string> Inputs { get; init; } = [];

    /// <summary>How many activations <see cref="Inputs"/> names: 1, or 2 for a <see cref="ResidualAdd"/>.</summary>
    public virtual int InputCount => 1;

    /// <summary>
    /// The residual source of a weighted layer, by name as in <see cref="Inputs"/>: the u8 activation
    /// <c>x</c> added into its accumulator before requantisation and the ReLU (PyTorch's
    /// <c>relu(bn(conv(h)) + x)</c>); null for none. Read after the layer's own input.
    /// </summary>
    public string? Residual { get; init; }

    /// <summary>True for the layers that can take a <see cref="Residual"/>: those with an accumulator.</summary>
    public virtual bool TakesResidual => false;

    /// <summary>The operator's name in the model file: conv2d, dense, maxpool2d, avgpool2d, flatten, add.</summary>
    public abstract string TypeName { get; }

    /// <summary>The shape this layer produces from <paramref name="input"/>; throws if the input does not fit.</summary>
    public abstract Shape OutputShape(Shape input);

    /// <summary>
    /// The shape this layer produces from its inputs' shapes (<see cref="InputCount"/> of them, then the
    /// residual source's, which must be the output's shape).
    /// </summary>
    public virtual Shape OutputShape(IReadOnlyList<Shape> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        Shape output = OutputShape(inputs[0]);
        if (Residual is not null && inputs[^1] != output)
        {
            throw Error("residual", $"'{Residual}' gives {inputs[^1]}, and the layer outputs {output}: the residual source must have the layer's output shape");
        }

        return output;
    }

    /// <summary>A <see cref="PotNetException"/> naming this layer and the field at fault.</summary>
    protected PotNetException Error(string field, string problem) => new($"layer '{Name}': {field}: {problem}");
}
