namespace PotNet.Onnx.Graph;

/// <summary>
/// <c>y = A * x + B</c> elementwise, per element of the activation (row-major, without the batch):
/// a BatchNormalization, an Add/Sub/Mul/Div by a constant that broadcasts over the activation, or
/// the input normalisation. Passes fold it into a weighted layer before or after it.
/// </summary>
internal sealed class AffineNode(string opType, string name, string input, string output, long[] dims, double[] a, double[] b)
    : IrNode(opType, name, [input], output, dims)
{
    /// <summary>Scale per element.</summary>
    public double[] A { get; } = a;

    /// <summary>Shift per element.</summary>
    public double[] B { get; } = b;

    /// <summary>
    /// The scale and shift per channel of an activation of dimensions <paramref name="dims"/> (the
    /// channel is the first dimension; each channel a contiguous block), or null when they vary
    /// within a channel.
    /// </summary>
    public (double[] A, double[] B)? PerChannel(long[] dims)
    {
        int channels = dims.Length == 0 ? 1 : (int)dims[0];
        if (channels == 0 || A.Length % channels != 0) return null;
        int block = A.Length / channels;
        var a = new double[channels];
        var b = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            a[c] = A[c * block];
            b[c] = B[c * block];
            for (int i = c * block; i < (c + 1) * block; i++)
            {
                if (A[i] != a[c] || B[i] != b[c]) return null;
            }
        }

        return (a, b);
    }

    /// <summary>True when the map is the identity.</summary>
    public bool IsIdentity => A.All(v => v == 1) && B.All(v => v == 0);
}
