namespace PotNet.Training.Pruning;

/// <summary>The zero weight codes of one layer as it would export now, and the products the accelerator skips for them.</summary>
/// <param name="Layer">The layer's name.</param>
/// <param name="Zeros">Weights whose code is the format's zero code.</param>
/// <param name="Weights">All the layer's weights.</param>
/// <param name="Products">Products per inference with nothing skipped: output positions x weights.</param>
/// <param name="ProductsKept">Products per inference with every all-zero column (<see cref="Columns"/>) skipped.</param>
public sealed record LayerSparsity(string Layer, long Zeros, long Weights, long Products, long ProductsKept)
{
    /// <summary>Zeros over weights.</summary>
    public double Fraction => Weights == 0 ? 0 : (double)Zeros / Weights;

    /// <summary>Products per inference the skipped columns save.</summary>
    public long ProductsSaved => Products - ProductsKept;

    /// <summary>Products kept over the layer's dense products.</summary>
    public double ProductsKeptFraction => Products == 0 ? 0 : (double)ProductsKept / Products;

    /// <summary>
    /// Every weighted layer's zero codes as <see cref="QatNetwork.Export"/> would write them: the codes
    /// of the layer's own <see cref="QatLayer.Quantize"/> (the network must be prepared), and the
    /// products kept with the columns of <paramref name="columns"/> skipped where all their codes are zero.
    /// </summary>
    public static IReadOnlyList<LayerSparsity> Of(QatNetwork network, IReadOnlyList<Columns> columns)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(columns);
        return network.WeightedLayers.Zip(columns, (layer, grid) =>
        {
            byte zero = layer.Quantizer!.Format.ZeroCode;
            byte[] codes = layer.Quantize().SelectMany(group => group.Codes).ToArray();
            return new LayerSparsity(layer.GetName(), codes.LongCount(c => c == zero), codes.Length, grid.Products, grid.ProductsKept(codes, zero));
        }).ToArray();
    }

    /// <summary>The fraction of zero codes over all the layers' weights.</summary>
    public static double Total(IReadOnlyList<LayerSparsity> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        long weights = layers.Sum(l => l.Weights);
        return weights == 0 ? 0 : (double)layers.Sum(l => l.Zeros) / weights;
    }

    /// <summary>The products kept over the dense network's products.</summary>
    public static double ProductsKeptTotal(IReadOnlyList<LayerSparsity> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        long products = layers.Sum(l => l.Products);
        return products == 0 ? 0 : (double)layers.Sum(l => l.ProductsKept) / products;
    }
}
