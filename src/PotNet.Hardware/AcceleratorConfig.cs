using PotNet.Formats;

namespace PotNet.Hardware;

/// <summary>
/// The parameters of a generated accelerator: PE kind, P parallel output channels, L lanes per PE,
/// zero gating, the multiplier style of a MAC design, the dataflow, and zero skipping.
/// </summary>
/// <param name="Pe">The PE kind.</param>
/// <param name="Parallel">P: output channels computed at once (one PE each).</param>
/// <param name="Lanes">L: products per PE per cycle.</param>
/// <param name="ZeroGating">Whether a zero weight holds the lane's operands (counted as a gated operation).</param>
/// <param name="Multiplier">DSP or LUT multipliers; only a MAC design has any.</param>
/// <param name="Dataflow">How operands move between storage and PEs.</param>
/// <param name="ZeroSkipping">Whether steps whose codes are all zero are not issued, their codes not stored (<see cref="Hardware.ZeroSkipping"/>; <see cref="DataflowKind.RowBuffer"/> only).</param>
public sealed record AcceleratorConfig(PeKind Pe, int Parallel, int Lanes, bool ZeroGating = false, MacMultiplier Multiplier = MacMultiplier.Dsp, DataflowKind Dataflow = DataflowKind.Stream, bool ZeroSkipping = false)
{
    /// <summary>The largest P or L accepted: beyond it the generated wiring gets absurd.</summary>
    public const int MaxParallel = 64;

    /// <summary>The weight format family this PE kind computes with.</summary>
    public FormatKind Format => Pe switch
    {
        PeKind.Bac => FormatKind.Pot,
        PeKind.Mac => FormatKind.Uniform,
        PeKind.Apot => FormatKind.Apot,
    };

    /// <summary>Lower-case name, as on the command line: bac, mac, apot.</summary>
    public string PeName => Pe.ToString().ToLowerInvariant();

    /// <summary>The dataflow's name, as on the command line: stream or rowbuffer.</summary>
    public string DataflowName => Dataflow.ToString().ToLowerInvariant();

    /// <summary>The multiplier style as on the command line (dsp, lut) for a MAC design; null for PEs without multipliers.</summary>
    public string? MultiplierName => Pe == PeKind.Mac ? Multiplier.ToString().ToLowerInvariant() : null;

    /// <summary>Throws a <see cref="PotNetException"/> when P or L is out of range, or zero skipping is asked of the stream dataflow.</summary>
    public void Validate()
    {
        if (ZeroSkipping && Dataflow != DataflowKind.RowBuffer) throw new PotNetException($"--zero-skipping: the {DataflowName} dataflow issues every step; zero skipping needs --dataflow rowbuffer");
        if (Parallel < 1 || Parallel > MaxParallel) throw new PotNetException($"--p: {Parallel} must be between 1 and {MaxParallel}");
        if (Lanes < 1 || Lanes > MaxParallel) throw new PotNetException($"--l: {Lanes} must be between 1 and {MaxParallel}");
    }
}
