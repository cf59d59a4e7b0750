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

    /// <inheritdoc/>
    public void Dispose()
    {
        _images.Dispose();
        _labels.Dispose();
    }
}
