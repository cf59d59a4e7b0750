using System.Numerics;

namespace PotNet.Model;

/// <summary>
/// Average pooling over a power-of-two window (kernel 1, 2, 4, ...): the sum of k*k activations,
/// then a rounding shift by log2(k*k), round half up, as requantisation rounds. No divider needed.
/// </summary>
public sealed class AvgPool2d : Pool2d
{
    /// <summary>Creates the layer; the kernel must be a power of two.</summary>
    public AvgPool2d(string name, int kernel, int stride) : base(name, kernel, stride)
    {
        if (!BitOperations.IsPow2(kernel))
        {
            throw Error("kernel", $"{kernel} is not a power of two: average pooling divides by shifting");
        }
    }

    /// <inheritdoc/>
    public override string TypeName => "avgpool2d";

    /// <summary>The shift that divides the window's sum: log2(kernel * kernel).</summary>
    public int Shift => 2 * BitOperations.Log2((uint)Kernel);
}
