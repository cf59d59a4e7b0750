using PotNet.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace PotNet.Training.Pruning;

/// <summary>
/// A fixed batch of training images (the first ones, unshifted) on which a network's loss is measured,
/// fake-quantised with freshly chosen scales, as the loss a pruning choice would cause.
/// </summary>
public sealed class Calibration : IDisposable
{
    private readonly Tensor _images;
    private readonly Tensor _labels;

    /// <summary>Takes the first <paramref name="count"/> images of <paramref name="data"/>.</summary>
    public Calibration(Dataset data, int count)
    {
        ArgumentNullException.ThrowIfNull(data);
        Dataset batch = data.Take(Math.Min(count, data.Count));
        // Held in fields (disposed with this object), not by a dispose scope: they outlive any one call.
        (Tensor images, Tensor labels) = TrainingBatches.InOrder(batch, batch.Count, ScalarType.Float32).Single().Tensors();
        _images = images.DetachFromDisposeScope();
        _labels = labels.DetachFromDisposeScope();
    }

    /// <summary>The mean cross-entropy of <paramref name="network"/> on the batch, after <see cref="QatNetwork.Prepare"/>.</summary>
    public double Loss(QatNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        network.eval();
        network.Prepare();
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            return nn.functional.cross_entropy(network.forward(_images), _labels).to_type(ScalarType.Float64).item<double>();
        }
    }

    /// <summary>Images in the batch.</summary>
    public long Count => _labels.shape[0];

    /// <summary>
    /// The batch cut into <paramref name="size"/>-image chunks (a remainder smaller than that is left
    /// out); views of the batch, valid while it is.
    /// </summary>
    internal IEnumerable<(Tensor Images, Tensor Labels)> Chunks(long size)
    {
        for (long start = 0; start + size <= Count; start += size) yield return (_images.narrow(0, start, size), _labels.narrow(0, start, size));
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _images.Dispose();
        _labels.Dispose();
    }
}
