namespace PotNet.Hardware.Simulation;

/// <summary>One output that differs from the ReferenceEngine's.</summary>
/// <param name="Image">Image index.</param>
/// <param name="Output">Logit index, or -1 for the class.</param>
/// <param name="Got">The accelerator's value.</param>
/// <param name="Expected">The ReferenceEngine's value.</param>
public sealed record Mismatch(int Image, int Output, long Got, long Expected);

/// <summary>The outcome of <see cref="Verifier.Run"/>.</summary>
public sealed record Verification
{
    /// <summary>The simulator used.</summary>
    public required Simulator Simulator { get; init; }

    /// <summary>Images simulated.</summary>
    public required int Images { get; init; }

    /// <summary>Outputs that differ from the ReferenceEngine (logits and classes).</summary>
    public required IReadOnlyList<Mismatch> Mismatches { get; init; }

    /// <summary>The cycle model's cycles per inference.</summary>
    public required long PredictedCycles { get; init; }

    /// <summary>Images whose measured cycles differ from the prediction plus the cycles the bench held their stream.</summary>
    public required int CycleMismatches { get; init; }

    /// <summary>Counted cycles in which the testbench held the stream (gaps, refused beats): 0 for a steady stream.</summary>
    public required long Stalls { get; init; }

    /// <summary>The cycle model's counts for all the images (cycles plus <see cref="Stalls"/>).</summary>
    public required EventCounts Predicted { get; init; }

    /// <summary>The RTL's counters over all the images.</summary>
    public required EventCounts Measured { get; init; }

    /// <summary>Whether the testbench saw a tlast in the wrong place.</summary>
    public required bool FrameError { get; init; }

    /// <summary>Verilator lint warnings of the design; empty when clean, null when lint was not run.</summary>
    public required string? LintWarnings { get; init; }

    /// <summary>Wall time of the build.</summary>
    public required TimeSpan BuildTime { get; init; }

    /// <summary>Wall time of the simulation run.</summary>
    public required TimeSpan SimulationTime { get; init; }

    /// <summary>Simulated cycles per wall-clock second of the simulation run.</summary>
    public double CyclesPerSecond => Measured.Cycles / Math.Max(SimulationTime.TotalSeconds, 1e-9);

    /// <summary>Every logit and class equal the ReferenceEngine's.</summary>
    public bool BitExact => Mismatches.Count == 0;

    /// <summary>Every counter equals the cycle model's.</summary>
    public bool CountersMatch => Measured == Predicted && CycleMismatches == 0;

    /// <summary>Everything agreed and nothing warned.</summary>
    public bool Passed => BitExact && CountersMatch && !FrameError && string.IsNullOrEmpty(LintWarnings);

    /// <summary>What went wrong, in one line; null when the verification passed.</summary>
    public string? Failure
    {
        get
        {
            var problems = new List<string>();
            if (!BitExact) problems.Add($"{Mismatches.Count} outputs differ from the reference engine");
            if (!CountersMatch) problems.Add("the RTL's cycles or counters differ from the cycle model");
            if (FrameError) problems.Add("the input stream's tlast was misplaced");
            if (!string.IsNullOrEmpty(LintWarnings)) problems.Add("verilator lint warned");
            return problems.Count == 0 ? null : string.Join("; ", problems);
        }
    }
}
