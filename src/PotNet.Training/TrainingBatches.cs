using PotNet.Data;
using PotNet.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace PotNet.Training;

/// <summary>
/// Turns a u8 dataset into batches of inputs <c>pixel / 256</c> (NCHW) and int64 labels: shuffled and
/// randomly shifted for training, from a generator seeded per epoch so that a run, and a resumed run,
/// draws the same batches. A batch becomes tensors only when its consumer asks (<see cref="Batch.Tensors"/>),
/// inside the consumer's dispose scope: a tensor in no scope is kept alive by nothing but its last
/// managed reference, and its finalizer may free it while a native call still reads it.
/// </summary>
public static class TrainingBatches
{
    /// <summary>The training batches of epoch <paramref name="epoch"/>: a seeded permutation, each image shifted by up to <paramref name="shift"/> pixels (zero fill).</summary>
    public static IEnumerable<Batch> Shuffled(Dataset data, int batchSize, int seed, int epoch, int shift)
    {
        ArgumentNullException.ThrowIfNull(data);
        var random = new Random(unchecked((seed * 100_003) + epoch));
        int[] order = Enumerable.Range(0, data.Count).ToArray();
        random.Shuffle(order);
        for (int start = 0; start < order.Length; start += batchSize)
        {
            int[] indices = order[start..Math.Min(start + batchSize, order.Length)];
            var offsets = indices.Select(_ => (random.Next(-shift, shift + 1), random.Next(-shift, shift + 1))).ToArray();
            yield return new Batch(data, indices, offsets, ScalarType.Float32);
        }
    }

    /// <summary>Every image in order, unshifted, in batches of <paramref name="batchSize"/>.</summary>
    public static IEnumerable<Batch> InOrder(Dataset data, int batchSize, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(data);
        for (int start = 0; start < data.Count; start += batchSize)
        {
            int[] indices = Enumerable.Range(start, Math.Min(batchSize, data.Count - start)).ToArray();
            yield return new Batch(data, indices, new (int, int)[indices.Length], dtype);
        }
    }

    /// <summary>Which images of a dataset make a batch, each shifted by (dy, dx) pixels, and the input dtype.</summary>
    public sealed record Batch(Dataset Data, int[] Indices, (int Dy, int Dx)[] Offsets, ScalarType Dtype)
    {
        /// <summary>The batch's inputs [N, 1, H, W] and labels [N], registered on the current dispose scope.</summary>
        public (Tensor Images, Tensor Labels) Tensors() => Make(Data, Indices, Offsets, Dtype);
    }

    private static (Tensor Images, Tensor Labels) Make(Dataset data, int[] indices, (int Dy, int Dx)[] offsets, ScalarType dtype)
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

        using Tensor exact = tensor(pixels, [indices.Length, 1, height, width], ScalarType.Float64);
        return (exact.to_type(dtype), tensor(labels));
    }
}
