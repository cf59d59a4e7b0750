namespace PotNet.Model;

/// <summary>
/// The shape of one image's activations: channels, height, width (CHW, as PyTorch lays out NCHW
/// without the batch). A flattened vector of n features is <c>(n, 1, 1)</c>.
/// </summary>
public readonly record struct Shape(int Channels, int Height, int Width)
{
    /// <summary>Number of elements: channels x height x width.</summary>
    public int Size => Channels * Height * Width;

    /// <inheritdoc/>
    public override string ToString() => $"{Channels}x{Height}x{Width}";
}
