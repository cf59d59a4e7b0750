using PotNet.Model;

namespace PotNet.Float;

/// <summary>
/// A network with real weights over inputs <c>pixel / 256</c>: weighted layers are
/// <see cref="FloatComputeLayer"/>, the others (pooling, flatten) are the quantised model's own.
/// </summary>
public sealed class FloatModel
{
    /// <summary>Creates the model and checks that the shapes chain.</summary>
    public FloatModel(Shape input, IReadOnlyList<Layer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw new PotNetException("layers: a model needs at least one layer");
        Input = input;
        Layers = layers.ToArray();
        var shapes = new List<Shape> { input };
        foreach (Layer layer in Layers)
        {
            if (layer is ComputeLayer) throw new PotNetException($"layer '{layer.Name}': a float model holds float layers, not quantised ones");
            shapes.Add(layer.OutputShape(shapes[^1]));
        }

        Shapes = shapes;
    }

    /// <summary>Shape of one input image.</summary>
    public Shape Input { get; }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>The input shape, then each layer's output shape.</summary>
    public IReadOnlyList<Shape> Shapes { get; }
}
