namespace PotNet.Model;

/// <summary>
/// A fully connected layer with quantised weights [OutFeatures, InFeatures]. Its input must be a
/// vector, shape <c>(InFeatures, 1, 1)</c>: put a <see cref="Flatten"/> before it.
/// </summary>
public sealed class Dense(string name, int inFeatures, int outFeatures, QuantizedWeights weights, ReadOnlySpan<int> bias, int? outputExponent)
    : ComputeLayer(name, ConvGeometry.Dense(inFeatures, outFeatures), weights, bias, outputExponent)
{
    /// <inheritdoc/>
    public override string TypeName => "dense";

    /// <summary>Shape of the weight tensor as stored: [OutFeatures, InFeatures].</summary>
    public override int[] WeightShape => [Geometry.OutChannels, Geometry.InChannels];

    /// <inheritdoc/>
    public override Shape OutputShape(Shape input)
    {
        if (input.Height != 1 || input.Width != 1)
        {
            throw Error("input", $"a dense layer takes a vector, got {input}: add a flatten layer before it");
        }

        return base.OutputShape(input);
    }
}
