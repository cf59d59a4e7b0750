using PotNet.Model;
using static TorchSharp.torch;

namespace PotNet.Training;

/// <summary>
/// A residual add in training: <c>relu(a + b)</c> in float; fake-quantised, the sum of two u8
/// activations (exact in the dtype: both are integers times powers of two) requantised to u8 at the
/// output exponent from the running maximum, which is <see cref="ResidualAdd"/>'s integer alignment
/// and requantisation exactly. No parameters.
/// </summary>
public sealed class QatAdd(string name)
{
    /// <summary>The layer's name.</summary>
    public string Name { get; } = name;

    /// <summary>The running maximum of the sums, 0 before any observation.</summary>
    public double RunningMax { get; set; }

    /// <summary>The output exponent in use, fixed by <see cref="Prepare"/>.</summary>
    public int OutputExponent { get; private set; } = Exponents.Input;

    /// <summary>Fixes the output exponent from the running maximum.</summary>
    internal void Prepare() => OutputExponent = Quantization.Quantizer.ActivationExponent(RunningMax);

    /// <summary>Adds two batches of activations; observes the sum's maximum when <paramref name="observe"/>.</summary>
    internal Tensor Forward(Tensor a, Tensor b, bool quantized, bool observe)
    {
        using var scope = NewDisposeScope();
        Tensor sum = a.add(b, Scalars.One);
        if (observe) RunningMax = QatLayer.Observe(RunningMax, sum);
        Tensor result = quantized ? Activations.Requantize(sum, OutputExponent) : nn.functional.relu(sum);
        return result.MoveToOuterDisposeScope();
    }
}
