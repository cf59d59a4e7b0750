namespace PotNet.Model;

/// <summary>Max pooling: exact on u8 activations, the exponent is unchanged.</summary>
public sealed class MaxPool2d(string name, int kernel, int stride) : Pool2d(name, kernel, stride)
{
    /// <inheritdoc/>
    public override string TypeName => "maxpool2d";
}
