namespace PotNet.Model;

/// <summary>Reshapes CHW activations to a vector of C*H*W features, channel-major as PyTorch's flatten.</summary>
public sealed class Flatten(string name) : Layer(name)
{
    /// <inheritdoc/>
    public override string TypeName => "flatten";

    /// <inheritdoc/>
    public override Shape OutputShape(Shape input) => new(input.Size, 1, 1);
}
