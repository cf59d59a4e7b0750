using PotNet.Cli.Commands;
using PotNet.Cli.Reports;
using PotNet.Hardware;
using PotNet.Hardware.Energy;
using PotNet.Hardware.Generation;
using PotNet.Hardware.Power;
using PotNet.Hardware.Simulation;
using PotNet.Hardware.Synthesis;
using PotNet.Serialization;

namespace PotNet.Cli.Pipeline;

/// <summary>How much of a design Yosys synthesises in an experiment.</summary>
internal enum SynthesisScope
{
    /// <summary>No synthesis.</summary>
    None,

    /// <summary>One PE (L lanes, adder tree, accumulator, requantiser): where BAC, MAC and APoT designs differ.</summary>
    Pe,

    /// <summary>The whole accelerator.</summary>
    Full,
}

/// <summary>What the design step measured: the RTL simulation against the ReferenceEngine and the cycle model; Failure is null when the design verified.</summary>
internal sealed record SimulatedDesign(long CyclesPerInference, long PredictedCycles, int Images, int Mismatches, string? Failure, double BuildSeconds, double SimulationSeconds);

/// <summary>
/// The hardware steps of an experiment, each cached by its inputs' content: generating a design and
/// simulating it in Verilator on test images (bit-exact with the ReferenceEngine, cycles and counters
/// equal to the cycle model); Yosys synthesis; and the lanes' gate-level switching activity. Energy
/// per inference is computed from a design's schedule on every run: it takes milliseconds.
/// </summary>
internal sealed class HardwareSteps(StepRunner runner, ExperimentPlan plan, ExperimentData data)
{
    /// <summary>The design's directory inside a design step's folder.</summary>
    public const string DesignFolder = "design";

    /// <summary>The power report a gate-level power step writes into its folder (at the plan's clock).</summary>
    public const string PowerReportFile = "power.json";

    private static string Code => CodeVersion.Of(typeof(Schedule), typeof(ModelFile));

    /// <summary>Generates <paramref name="design"/> for the model in <paramref name="modelFile"/> and simulates it.</summary>
    public Task<(string Folder, SimulatedDesign Result)> Generate(DesignSpec design, string modelFile)
    {
        ArgumentNullException.ThrowIfNull(design);
        AcceleratorConfig c = design.Config;
        StepKey key = new StepKey("design", 1)
            .With("pe", c.PeName).With("p", c.Parallel).With("l", c.Lanes).With("gating", c.ZeroGating).With("mac", c.Multiplier).With("dataflow", c.DataflowName).With("skipping", c.ZeroSkipping)
            .With("images", plan.Images).With("data", data.Digest()).With("code", Code).WithFile("model", modelFile);
        return runner.RunAsync(key, $"design {design.Name}: generate, simulate {plan.Images} images in Verilator", (folder, progress) =>
        {
            string directory = Path.Combine(folder, DesignFolder);
            DesignWriter.Write(Schedule.Create(ModelFile.Load(modelFile), c), directory);
            Design d = Design.Load(directory);
            int step = 0;
            Verification v = Verifier.Run(d, data.Test.ImageSlices(plan.Images), Simulator.Verilator, progress: _ => progress(++step, 3), reuse: runner.SimulatorBuilds);
            // The simulator's build is large and run.sh rebuilds it.
            Directory.Delete(Path.Combine(directory, DesignFiles.Build), recursive: true);
            return new SimulatedDesign(
                v.Measured.Cycles / v.Images, v.PredictedCycles, v.Images, v.Mismatches.Count, v.Failure,
                v.BuildTime.TotalSeconds, v.SimulationTime.TotalSeconds);
        });
    }

    /// <summary>Synthesises the design in <paramref name="designFolder"/> (a design step's folder) with Yosys.</summary>
    public async Task<ResourceFigures?> Synthesize(DesignSpec design, string designFolder, SynthesisScope scope)
    {
        ArgumentNullException.ThrowIfNull(design);
        if (scope == SynthesisScope.None) return null;
        // Yosys 0.23 ignores the use_dsp attribute, so LUT multipliers are what -nodsp gives.
        SynthesisTarget target = design.Config is { Pe: PeKind.Mac, Multiplier: MacMultiplier.Lut } ? SynthesisTarget.UltraScalePlusNoDsp : SynthesisTarget.UltraScalePlus;
        string directory = Path.Combine(designFolder, DesignFolder);
        StepKey key = new StepKey("synth", 1).With("scope", scope).With("target", target).With("code", Code)
            .WithFile("manifest", Path.Combine(directory, DesignFiles.Manifest)).With("design", Path.GetFileName(designFolder));
        string flow = $"Yosys 0.23 synth_xilinx -family xcup{(target == SynthesisTarget.UltraScalePlusNoDsp ? " -nodsp" : "")}, {(scope == SynthesisScope.Full ? "whole design" : "one PE")}";
        return (await runner.RunAsync(key, $"synth {design.Name}: {flow}", (folder, progress) =>
        {
            progress(0, 1);
            Design d = Design.Load(directory);
            ResourceReport r = scope == SynthesisScope.Full ? d.Synthesize(target, folder) : PeHarness.Synthesize(d.Schedule, target, folder);
            progress(1, 1);
            return new ResourceFigures(r.Luts, r.FlipFlops, r.Carries, r.Dsps, r.Brams, $"{flow} (an estimate, not Vivado's)");
        }).ConfigureAwait(false)).Result;
    }

    /// <summary>Gate-level timing of the design in <paramref name="designFolder"/>: Yosys maps its logic to the OSU 0.18 um cells, OpenSTA finds the critical path.</summary>
    public async Task<TimingFigures> Timing(DesignSpec design, string designFolder)
    {
        ArgumentNullException.ThrowIfNull(design);
        string directory = Path.Combine(designFolder, DesignFolder);
        StepKey key = new StepKey("timing", 1).With("code", Code).WithFile("liberty", CellLibrary.Osu018)
            .WithFile("manifest", Path.Combine(directory, DesignFiles.Manifest)).With("design", Path.GetFileName(designFolder));
        return (await runner.RunAsync(key, $"timing {design.Name}: Yosys to OSU 0.18 um cells, OpenSTA critical path", (folder, progress) =>
        {
            progress(0, 1);
            GateTimingReport t = GateTiming.Measure(Design.Load(directory), CellLibrary.Load(CellLibrary.Osu018), Path.Combine(folder, "work"));
            progress(1, 1);
            return new TimingFigures(t.Library, t.Cells, t.Area, t.Path.FmaxMegahertz, t.Path.Startpoint, t.Path.Endpoint);
        }).ConfigureAwait(false)).Result;
    }

    /// <summary>
    /// Gate-level power of the design in <paramref name="designFolder"/> on the plan's gate-level
    /// images: Yosys maps its logic to the OSU 0.18 um cells, Verilator simulates the netlist and
    /// counts every net's transitions, OpenSTA prices each instance; the memories are modelled.
    /// </summary>
    public async Task<GatePowerFigures> GatePower(DesignSpec design, string designFolder)
    {
        ArgumentNullException.ThrowIfNull(design);
        string directory = Path.Combine(designFolder, DesignFolder);
        StepKey key = new StepKey("gate-power", 1).With("images", plan.GateLevelImages).With("data", data.Digest()).With("code", Code).WithFile("liberty", CellLibrary.Osu018)
            .WithFile("manifest", Path.Combine(directory, DesignFiles.Manifest)).With("design", Path.GetFileName(designFolder));
        GatePowerFigures figures = (await runner.RunAsync(key, $"gate power {design.Name}: OSU 0.18 um netlist simulated on {plan.GateLevelImages} images, OpenSTA per instance", (folder, progress) =>
        {
            int step = 0;
            Design d = Design.Load(directory);
            GatePowerReport r = Hardware.Power.GatePower.Measure(
                d, CellLibrary.Load(CellLibrary.Osu018), data.Test.ImageSlices(plan.GateLevelImages), Path.Combine(folder, "work"), _ => progress(++step, 3));
            // For potnet energy calibrate --design DESIGN --report power.json.
            PowerComparison.WriteReport(Path.Combine(folder, PowerReportFile), d, r, plan.ClockMegahertz);
            // The netlist's simulator build is large; the figures are what the step keeps.
            Directory.Delete(Path.Combine(folder, "work"), recursive: true);
            ComponentPower? memory = r.Components.FirstOrDefault(c => c.Memory), logic = r.Components.FirstOrDefault(c => !c.Memory);
            return new GatePowerFigures(
                r.Library, r.Images, r.BitExact, r.Cells, r.Area, r.Path.FmaxMegahertz, r.CyclesPerInference,
                [.. r.Components.Select(c => new GateComponentFigures(c.Component, c.Memory, c.Cells, c.DynamicPicojoules))],
                r.LeakageWatts, r.StaticPicojoules, logic?.Source ?? "", memory?.Source ?? "", r.Seconds);
        }).ConfigureAwait(false)).Result;
        return figures with { Tables = Energy(designFolder, figures.FmaxMegahertz) };
    }

    /// <summary>Energy per inference of the design in <paramref name="designFolder"/> under each of the plan's tables (an energy model), at the plan's clock or at <paramref name="clockMegahertz"/>.</summary>
    public IReadOnlyList<EnergyFigures> Energy(string designFolder, double? clockMegahertz = null)
    {
        Design d = Design.Load(Path.Combine(designFolder, DesignFolder));
        long cycles = CycleModel.Predict(d.Schedule).Cycles;
        IEnumerable<EnergyEvent> events = DesignEvents.Of(d.Schedule);
        return [.. plan.Tables.Select(name =>
        {
            EnergyEstimate e = EnergyModel.Estimate(events, EnergyTable.Load(name), cycles, clockMegahertz ?? plan.ClockMegahertz);
            return new EnergyFigures(e.Table, e.TotalPicojoules, e.DynamicPicojoules, e.StaticPicojoules, e.ByLayer(), e.ByComponent());
        })];
    }

    /// <summary>Gate-level switching activity of the lanes on traces of two test images of the given models.</summary>
    public async Task<SwitchingReport> Switching(string bacModel, string macModel, string apotModel)
    {
        const int Images = 2, Cycles = 20_000, P = 8, L = 8;
        StepKey key = new StepKey("switching", 1).With("images", Images).With("cycles", Cycles).With("p", P).With("l", L).With("code", Code)
            .With("data", data.Digest()).WithFile("bac", bacModel).WithFile("mac", macModel).WithFile("apot", apotModel);
        return (await runner.RunAsync(key, "switching activity: BAC, MAC and APoT lanes at gate level (Yosys + Icarus)", (folder, progress) =>
        {
            int step = 0;
            return SwitchingReport.Measure(
                ModelFile.Load(bacModel), ModelFile.Load(macModel), ModelFile.Load(apotModel), data.Test.ImageSlices(Images), P, L, Cycles,
                Path.Combine(folder, "work"), _ => progress(++step, 6));
        }).ConfigureAwait(false)).Result;
    }
}
