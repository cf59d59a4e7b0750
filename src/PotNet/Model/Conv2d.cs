namespace PotNet.Model;

/// <summary>
/// A 2-D convolution, grouped or not (<see cref="ConvGeometry.Groups"/>; depthwise when groups =
/// in_channels), with quantised weights [out, in / groups, kh, kw], bias and requantisation; the padded
/// border reads <paramref name="paddingValues"/> per input channel (null: zeros).
/// </summary>
public sealed class Conv2d(string name, ConvGeometry geometry, QuantizedWeights weights, ReadOnlySpan<int> bias, int? outputExponent, byte[]? paddingValues = null)
    : ComputeLayer(name, geometry, weights, bias, outputExponent, paddingValues)
{
    /// <inheritdoc/>
    public override string TypeName => "conv2d";
}
