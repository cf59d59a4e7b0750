namespace PotNet.Model;

/// <summary>
/// One layer of a network. A network is a sequence of layers, each consuming the activations the
/// previous one produced. Layers are immutable.
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

    /// <summary>The operator's name in the model file: conv2d, dense, maxpool2d, avgpool2d, flatten.</summary>
    public abstract string TypeName { get; }

    /// <summary>The shape this layer produces from <paramref name="input"/>; throws if the input does not fit.</summary>
    public abstract Shape OutputShape(Shape input);

    /// <summary>A <see cref="PotNetException"/> naming this layer and the field at fault.</summary>
    protected PotNetException Error(string field, string problem) => new($"layer '{Name}': {field}: {problem}");
}
