using PotNet.Engines;

namespace PotNet.Hardware.Simulation;

/// <summary>
/// Checks a design against the ReferenceEngine: simulates images, compares every logit and class,
/// and compares the cycles and counters with the <see cref="CycleModel"/>.
/// </summary>
public static class Verifier
{
    /// <summary>
    /// Lints (Verilator only, when <paramref name="lint"/>), builds, simulates and compares. With a
    /// <paramref name="stimulus"/> that holds the stream, each image's cycles are compared with the
    /// cycle model's plus the cycles the bench held it, and so is the cycle counter. <paramref name="reuse"/>
    /// is a folder of earlier builds (<see cref="Design.Build"/>).
    /// </summary>
    public static Verification Run(
        Design design, IReadOnlyList<ReadOnlyMemory<byte>> images, Simulator simulator, bool lint = true, Action<string>? progress = null, StreamStimulus? stimulus = null, string? reuse = null)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0) throw new PotNetException("no images to simulate");
        var engine = new ReferenceEngine(design.Schedule.Model);
        int[][] reference = [.. images.Select(i => engine.Infer(i.Span))];
        int[][] expected = [.. reference.Select(l => (int[])[.. l, ReferenceEngine.ArgMax(l)])];

        string? warnings = null;
        if (lint && simulator == Simulator.Verilator)
        {
            progress?.Invoke("lint (verilator --lint-only -Wall)");
            ProcessResult result = design.Lint();
            warnings = (result.Output + result.Error).Trim();
            if (result.ExitCode != 0 && warnings.Length == 0) warnings = $"verilator exited with code {result.ExitCode}";
        }

        progress?.Invoke($"build ({SimulatorCommands.Name(simulator)})");
        ProcessResult build = design.Build(simulator, reuse);
        progress?.Invoke($"simulate {images.Count} images");
        (SimulationResult sim, ProcessResult run) = design.Simulate(simulator, images, expected, stimulus);

        var mismatches = new List<Mismatch>();
        for (int i = 0; i < images.Count; i++)
        {
            ImageOutput got = sim.Images[i];
            int[] want = reference[i];
            for (int k = 0; k < want.Length; k++)
            {
                long value = k < got.Logits.Count ? got.Logits[k] : long.MinValue;
                if (value != want[k]) mismatches.Add(new Mismatch(i, k, value, want[k]));
            }

            if (got.Class != expected[i][^1]) mismatches.Add(new Mismatch(i, -1, got.Class, expected[i][^1]));
        }

        EventCounts perInference = CycleModel.Predict(design.Schedule);
        return new Verification
        {
            Simulator = simulator,
            Images = images.Count,
            Mismatches = mismatches,
            PredictedCycles = perInference.Cycles,
            CycleMismatches = sim.Images.Count(o => o.Cycles != perInference.Cycles + o.Stalls),
            Stalls = sim.Stalls,
            Predicted = perInference.Times(images.Count) with { Cycles = (perInference.Cycles * images.Count) + sim.Stalls },
            Measured = sim.Counters,
            FrameError = sim.FrameError,
            LintWarnings = warnings,
            BuildTime = build.Elapsed,
            SimulationTime = run.Elapsed,
        };
    }
}
