namespace PotNet.Hardware;

/// <summary>What a pass of the accelerator does; the values are the RTL's 2-bit kind codes.</summary>
public enum PassKind
{
    /// <summary>A hidden weighted layer: accumulate, requantise, write u8 activations.</summary>
    Hidden = 0,

    /// <summary>The last weighted layer: accumulate and store the int32 logits.</summary>
    Logits = 1,

    /// <summary>Max pooling.</summary>
    MaxPool = 2,

    /// <summary>Average pooling: a window sum and a rounding shift.</summary>
    AvgPool = 3,
}
