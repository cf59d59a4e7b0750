using PotNet.Model;

namespace PotNet.Float;

/// <summary>
/// A network with real weights over inputs <c>pixel / 256</c>: weighted layers are
/// <see cref="FloatComputeLayer"/>, the others (pooling, flatten, a <see cref="ResidualAdd"/> without an
/// output exponent) are the quantised model's own.
/// </summary>
public sealed class FloatModel
{
    /// <summary>Creates the model and checks its wiring and shapes.</summary>
    public FloatModel(Shape input, IReadOnlyList<Layer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw new PotNetException("layers: a model needs at least one layer");
        Input = input;
        Layers = layers.ToArray();
        Sources = LayerGraph.Sources(Layers);
        var shapes = new List<Shape> { input };
        for (int i = 0; i < Layers.Count; i++)
        {
            Layer layer = Layers[i];
            if (layer is ComputeLayer || layer is ResidualAdd { OutputExponent: not null }) throw new PotNetException($"layer '{layer.Name}': a float model holds float layers, not quantised ones");
            shapes.Add(layer.OutputShape([.. Sources[i].Select(s => shapes[s + 1])]));
        }

        Shapes = shapes;
    }

    /// <summary>For each layer, the indices of the layers it reads, -1 for the input (<see cref="LayerGraph.Sources"/>).</summary>
    public IReadOnlyList<int[]> Sources { get; }

    /// <summary>The shape layer <paramref name="index"/> reads (its first input's).</summary>
    public Shape InputShape(int index) => Shapes[Sources[index][0] + 1];

    /// <summary>Shape of one input image.</summary>
    public Shape Input { get; }

    /// <summary>The layers in topological order.</summary>
    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>The input shape, then each layer's output shape.</summary>
    public IReadOnlyList<Shape> Shapes { get; }
}
