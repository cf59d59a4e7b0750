using TorchSharp;
using static TorchSharp.torch;

namespace PotNet.Training.Pruning;

/// <summary>
/// Which weights of a network are pruned: per weighted layer a 0/1 tensor of the weight's shape (1:
/// kept). Pruning only adds zeros (<see cref="Restrict"/>); while training, <see cref="Trainer"/>
/// masks the gradients before each step and re-zeroes the pruned weights after it, so they stay
/// exactly zero, quantise to the zero code and export as it.
/// </summary>
public sealed class WeightMask : IDisposable
{
    private readonly QatLayer[] _layers;
    private readonly Tensor[] _keep;

    private WeightMask(QatLayer[] layers)
    {
        _layers = layers;
        _keep = layers.Select(l => ones_like(l.Weight, dtype: ScalarType.Float32).DetachFromDisposeScope()).ToArray();
    }

    /// <summary>The weighted layers, in order.</summary>
    public IReadOnlyList<QatLayer> Layers => _layers;

    /// <summary>A mask that keeps every weight of <paramref name="network"/>.</summary>
    public static WeightMask KeepAll(QatNetwork network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new WeightMask([.. network.WeightedLayers]);
    }

    /// <summary>Layer <paramref name="layer"/>'s mask (1: kept, 0: pruned), float32, the weight's shape. Owned by the mask.</summary>
    public Tensor Keep(int layer) => _keep[layer];

    /// <summary>The number of pruned weights in layer <paramref name="layer"/>.</summary>
    public long Pruned(int layer)
    {
        using var scope = NewDisposeScope();
        return _keep[layer].numel() - _keep[layer].count_nonzero().item<long>();
    }

    /// <summary>Prunes, in layer <paramref name="layer"/>, every weight where <paramref name="keep"/> is false (weights already pruned stay pruned).</summary>
    public void Restrict(int layer, Tensor keep)
    {
        ArgumentNullException.ThrowIfNull(keep);
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            _keep[layer].mul_(keep.to_type(ScalarType.Float32));
        }
    }

    /// <summary>Sets the pruned weights to zero.</summary>
    public void Apply()
    {
        using (no_grad())
        {
            for (int i = 0; i < _layers.Length; i++) _layers[i].Weight.mul_(_keep[i]);
        }
    }

    /// <summary>Zeroes the gradients of the pruned weights, so the optimiser's moments for them stay zero.</summary>
    public void MaskGradients()
    {
        using var scope = NewDisposeScope();
        using (no_grad())
        {
            for (int i = 0; i < _layers.Length; i++) _layers[i].Weight.grad?.mul_(_keep[i]);
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (Tensor keep in _keep) keep.Dispose();
    }
}
