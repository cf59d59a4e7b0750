using PotNet.Data;
using PotNet.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace PotNet.Training;

/// <summary>
/// Turns a u8 dataset into batches of inputs <c>pixel / 256</c> (NCHW) and int64 labels: shuffled and
/// randomly shifted for training, from a generator seeded per epoch so that a run, and a resumed run,
/// draws the same batches.
/// </summary>
public static class TrainingBatches
{
    /// <summary>The training batches of epoch <paramref name="epoch"/>: a seeded permutation, each image shifted by up to <paramref name="shift"/> pixels (zero fill).</summary>
    public static IEnumerable<(Tensor Images, Tensor Labels)> Shuffled(Dataset data, int batchSize, int seed, int epoch, int shift)
    {
        ArgumentNullException.ThrowIfNull(data);
        var random = new Random(unchecked((seed * 100_003) + epoch));
        int[] order = Enumerable.Range(0, data.Count).ToArray();
        random.Shuffle(order);
        for (int start = 0; start < order.Length; start += batchSize)
        {
            int[] indices = order[start..Math.Min(start + batchSize, order.Length)];
            var offsets = indices.Select(_ => (random.Next(-shift, shift + 1), random.Next(-shift, shift + 1))).ToArray();
            yield return Batch(data, indices, offsets, ScalarType.Float32);
        }
    }

    /// <summary>Every image in order, unshifted, in batches of <paramref name="batchSize"/>.</summary>
    public static IEnumerable<(Tensor Images, Tensor Labels)> InOrder(Dataset data, int batchSize, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(data);
        for (int start = 0; start < data.Count; start += batchSize)
        {
            int[] indices = Enumerable.Range(start, Math.Min(batchSize, data.Count - start)).ToArray();
            yield return Batch(data, indices, new (int, int)[indices.Length], dtype);
        }
    }

    private static (Tensor Images, Tensor Labels) Batch(Dataset data, int[] indices, (int Dy, int Dx)[] offsets, ScalarType dtype)
    {
        int height = data.Height, width = data.Width, size = height * width;
        var pixels = new double[indices.Length * size];
        var labels = new long[indices.Length];
        ReadOnlySpan<byte> all = data.Images.Span;
        for (int n = 0; n < indices.Length; n++)
        {
            ReadOnlySpan<byte> image = all.Slice(indices[n] * size, size);
            (int dy, int dx) = offsets[n];
            for (int y = 0; y < height; y++)
            {
                int sy = y - dy;
                if (sy < 0 || sy >= height) continue;
                for (int x = 0; x < width; x++)
                {
                    int sx = x - dx;
                    if (sx >= 0 && sx < width) pixels[(n * size) + (y * width) + x] = Math.ScaleB(image[(sy * width) + sx], -Exponents.Input);
                }
            }

            labels[n] = data.Labels.Span[indices[n]];
        }

        return (tensor(pixels, [indices.Length, 1, height, width], ScalarType.Float64).to_type(dtype), tensor(labels));
    }
}
