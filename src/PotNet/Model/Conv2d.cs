namespace PotNet.Model;

/// <summary>A 2-D convolution (groups = 1) with quantised weights, bias and requantisation.</summary>
public sealed class Conv2d(string name, ConvGeometry geometry, QuantizedWeights weights, ReadOnlySpan<int> bias, int? outputExponent)
    : ComputeLayer(name, geometry, weights, bias, outputExponent)
{
    /// <inheritdoc/>
    public override string TypeName => "conv2d";
}
