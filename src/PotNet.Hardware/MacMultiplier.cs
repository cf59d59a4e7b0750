namespace PotNet.Hardware;

/// <summary>How synthesis should build a MAC lane's multiplier (a <c>use_dsp</c> attribute).</summary>
public enum MacMultiplier
{
    /// <summary>In a DSP block (DSP48E2 on UltraScale+).</summary>
    Dsp,

    /// <summary>In fabric logic (LUTs and carry chains).</summary>
    Lut,
}
