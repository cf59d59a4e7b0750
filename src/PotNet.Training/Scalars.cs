using TorchSharp;

namespace PotNet.Training;

/// <summary>
/// The constant TorchSharp scalars of PotNet's tensor arithmetic, alive for the whole process. TorchSharp
/// hands a Scalar's native handle to libtorch without keeping the Scalar alive, so a temporary one (a
/// number converted implicitly) can be finalized, and its native memory freed, during the very call that
/// reads it (docs/architecture.md, "Training"; the PN0001 and PN0002 analyzers). A static is never
/// collected; a value known only at run time is held by a <c>using</c> local instead.
/// </summary>
internal static class Scalars
{
    /// <summary>0 (int64).</summary>
    public static readonly Scalar Zero = 0L.ToScalar();

    /// <summary>1 (int64): the unit alpha that TorchSharp's own <c>a + b</c> uses.</summary>
    public static readonly Scalar One = 1L.ToScalar();

    /// <summary>0.5: rounding half up.</summary>
    public static readonly Scalar Half = 0.5.ToScalar();

    /// <summary>0.0 (float64): the ReLU's lower clamp.</summary>
    public static readonly Scalar ZeroReal = 0.0.ToScalar();

    /// <summary>255.0: the largest u8 activation.</summary>
    public static readonly Scalar ByteMax = ((double)byte.MaxValue).ToScalar();
}
