namespace PotNet.Training.Pruning;

/// <summary>The zero weight codes of one layer as it would export now.</summary>
/// <param name="Layer">The layer's name.</param>
/// <param name="Zeros">Weights whose code is the format's zero code.</param>
/// <param name="Weights">All the layer's weights.</param>
public sealed record LayerSparsity(string Layer, long Zeros, long Weights)
{
    /// <summary>Zeros over weights.</summary>
    public double Fraction => Weights == 0 ? 0 : (double)Zeros / Weights;

    /// <summary>
    /// Every weighted layer's zero codes as <see cref="QatNetwork.Export"/> would write them: the codes
    /// of the layer's own <see cref="QatLayer.Quantize"/> (the network must be prepared).
    /// </summary>
    public static IReadOnlyList<LayerSparsity> Of(QatNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return network.WeightedLayers.Select(layer =>
        {
            byte zero = layer.Quantizer!.Format.ZeroCode;
            byte[] codes = layer.Quantize().SelectMany(group => group.Codes).ToArray();
            return new LayerSparsity(layer.GetName(), codes.LongCount(c => c == zero), codes.Length);
        }).ToArray();
    }

    /// <summary>The fraction of zero codes over all the layers' weights.</summary>
    public static double Total(IReadOnlyList<LayerSparsity> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        long weights = layers.Sum(l => l.Weights);
        return weights == 0 ? 0 : (double)layers.Sum(l => l.Zeros) / weights;
    }
}
