using TorchSharp;
using static TorchSharp.torch;

namespace PotNet.Training.Pruning;

/// <summary>
/// The whole network's calibration loss increase estimated for zeroing each weight column
/// (<see cref="Columns"/>) alone, on the PoT-quantised weights, from gradients of the fake-quantised
/// network: to second order, <c>dL = 1/2 w'Fw</c>, where w is the column's quantised weights and F the
/// empirical Fisher matrix (the mean outer product of per-image gradients) as the Hessian's estimate.
/// <c>w'Fw</c> is the mean over images of <c>(g_n.w)^2</c>, estimated from chunk gradients: with m
/// images per chunk, the chunk products' variance is the images' over m, so
/// <c>w'Fw = m mean_b (G_b.w)^2 - (m - 1) (G.w)^2</c>, G the mean gradient.
/// </summary>
/// <remarks>
/// The first-order term <c>-G.w</c> is left out, as Optimal Brain Damage leaves it out at a trained
/// network: there G is the noise of a small calibration set around a minimum, and its sign could make a
/// column's estimate negative and put it first, whatever it does to the network.
/// </remarks>
internal static class ColumnSensitivity
{
    /// <summary>Images per chunk whose mean gradient gives one sample of the column products.</summary>
    public const int Chunk = 64;

    /// <summary>Per layer, per unit (row-major [Groups, Units]): the estimated loss increase of zeroing that unit alone.</summary>
    public static double[][] Estimate(QatNetwork network, IReadOnlyList<Columns> columns, Calibration calibration)
    {
        using var outer = NewDisposeScope();
        QatLayer[] layers = [.. network.WeightedLayers];
        network.eval();
        network.Prepare();
        long m = Math.Min(Chunk, calibration.Count);
        Tensor[] quantised, sum, squares;
        using (no_grad())
        {
            quantised = layers.Select(l => l.Quantizer!.Apply(l.Weight.detach(), l.ScaleExponents)).ToArray();
        }

        sum = columns.Select(c => zeros([c.Groups, c.Units], ScalarType.Float64)).ToArray();
        squares = columns.Select(c => zeros([c.Groups, c.Units], ScalarType.Float64)).ToArray();
        long chunks = 0;
        foreach ((Tensor images, Tensor labels) in calibration.Chunks(m))
        {
            using var scope = NewDisposeScope();
            network.zero_grad();
            Tensor loss = nn.functional.cross_entropy(network.forward(images), labels);
            loss.backward();
            using (no_grad())
            {
                for (int i = 0; i < layers.Length; i++)
                {
                    Tensor gradient = layers[i].Weight.grad ?? throw new InvalidOperationException($"layer '{layers[i].GetName()}' got no gradient");
                    Tensor product = columns[i].Sum(gradient.to_type(ScalarType.Float64).mul(quantised[i]));
                    sum[i].add_(product, Scalars.One);
                    squares[i].add_(product.mul(product), Scalars.One);
                }
            }

            chunks++;
        }

        network.zero_grad();
        using Scalar perChunk = ((double)chunks).ToScalar(), chunkImages = ((double)m).ToScalar(), others = ((double)(m - 1)).ToScalar();
        return sum.Select((s, i) =>
        {
            using var scope = NewDisposeScope();
            Tensor first = s.div(perChunk);
            Tensor fisher = squares[i].div(perChunk).mul(chunkImages).sub(first.mul(first).mul(others)).clamp_min(Scalars.ZeroReal);
            return fisher.mul(Scalars.Half).contiguous().data<double>().ToArray();
        }).ToArray();
    }
}
