using System.Globalization;
using PotNet.Cli.Commands;
using PotNet.Cli.Reports;
using PotNet.Hardware.Power;
using PotNet.Training.Pruning;

namespace PotNet.Cli.Pipeline;

/// <summary>
/// Runs an <see cref="ExperimentPlan"/> (or one shard of its designs) through the cached training and
/// hardware steps and gathers what they measured into a <see cref="ResultSet"/>, with the source of
/// every kind of number.
/// </summary>
internal sealed class Experiment(ExperimentPlan plan, StepRunner runner, ExperimentData data, SynthesisScope synthesis)
{
    private readonly TrainingSteps _training = new(runner, plan, data);
    private readonly HardwareSteps _hardware = new(runner, plan, data);

    /// <summary>Gate-level timing is a synthesis too: a run without synthesis (<c>--synth none</c>) does not time.</summary>
    private bool Timed => plan.Timing && synthesis != SynthesisScope.None;

    /// <summary>
    /// Runs the shard's designs (every design for <see cref="Shard.All"/>), the networks they need, and,
    /// in the first shard, the float network, the networks without a design and the switching activity.
    /// Every step starts as soon as the steps it needs are done (<see cref="StepRunner"/> bounds how many
    /// run at once); the points come out in the plan's order whatever order the steps finish in.
    /// </summary>
    /// <exception cref="StepFailedException">A step failed; the steps that finished are cached.</exception>
    public async Task<ResultSet> RunAsync(string title, Shard shard)
    {
        bool first = shard.Index == 1;
        Task<ResultPoint>[] networks = first
            ? [FloatPoint(), .. plan.Models.Where(m => plan.Designs.All(d => d.Model != m)).Select(NetworkPoint)]
            : [];
        Task<ResultPoint>[] designs = [.. shard.Select(plan.Designs).Select(DesignPoint)];
        Task<SwitchingReport?> switching = first && plan.Switching ? Switching() : Task.FromResult<SwitchingReport?>(null);
        try
        {
            await Task.WhenAll([.. networks, .. designs, switching]).ConfigureAwait(false);
        }
        catch (Exception) when (runner.Failure is StepFailedException failure)
        {
            throw failure;
        }

        ResultPoint[] points = [.. networks.Select(t => t.Result), .. designs.Select(t => t.Result)];
        return new ResultSet(title, plan.Id(), points, Sources(), switching.Result, runner.Timings);
    }

    private async Task<ResultPoint> FloatPoint()
    {
        TrainedResult f = (await _training.Float().ConfigureAwait(false)).Result;
        return new ResultPoint($"{plan.Model}/float", plan.Model, plan.Data, "float", 0, null, f.Accuracy, f.TestImages, null);
    }

    private async Task<ResultPoint> NetworkPoint(ModelSpec model) => Point(model, (await _training.Of(model).ConfigureAwait(false)).Result, null, null);

    private async Task<ResultPoint> DesignPoint(DesignSpec design)
    {
        (string modelFolder, TrainedResult trained) = await _training.Of(design.Model).ConfigureAwait(false);
        (string designFolder, SimulatedDesign simulated) = await _hardware.Generate(design, Path.Combine(modelFolder, TrainingJob.ModelFileName)).ConfigureAwait(false);
        Task<ResourceFigures?> synthesized = _hardware.Synthesize(design, designFolder, design.Synthesized ? synthesis : SynthesisScope.None);
        Task<TimingFigures?> timed = Timed && design.Synthesized ? TimedAsync() : Task.FromResult<TimingFigures?>(null);
        Task<GatePowerFigures?> gateLevel = design.GateLevel && synthesis != SynthesisScope.None ? GatePowerAsync() : Task.FromResult<GatePowerFigures?>(null);
        ResourceFigures? resources = await synthesized.ConfigureAwait(false);
        TimingFigures? timing = await timed.ConfigureAwait(false);
        GatePowerFigures? gatePower = await gateLevel.ConfigureAwait(false);
        var figures = new DesignFigures(
            design.Config.PeName, design.Config.Parallel, design.Config.Lanes, design.Config.ZeroGating,
            design.Config.MultiplierName,
            simulated.CyclesPerInference, simulated.Images, simulated.Mismatches, resources, _hardware.Energy(designFolder), simulated.Failure, timing, gatePower, design.Config.DataflowName, design.Config.ZeroSkipping);
        return Point(design.Model, trained, design, figures);

        async Task<TimingFigures?> TimedAsync() => await _hardware.Timing(design, designFolder).ConfigureAwait(false);
        async Task<GatePowerFigures?> GatePowerAsync() => await _hardware.GatePower(design, designFolder).ConfigureAwait(false);
    }

    private ResultPoint Point(ModelSpec model, TrainedResult trained, DesignSpec? design, DesignFigures? figures) => new(
        $"{plan.Model}/{(design is null ? model.Name : design.Name)}", plan.Model, plan.Data, model.Weights, model.Sparsity,
        model.Pruning?.Name(), trained.Accuracy, trained.TestImages, figures, trained.Sparsity);

    private async Task<SwitchingReport?> Switching()
    {
        async Task<string> File(string weights) => Path.Combine((await _training.Quantized(weights).ConfigureAwait(false)).Folder, TrainingJob.ModelFileName);
        string[] models = await Task.WhenAll(File("pot4"), File("uniform4"), File("apot4")).ConfigureAwait(false);
        return await _hardware.Switching(models[0], models[1], models[2]).ConfigureAwait(false);
    }

    private Dictionary<string, string> Sources()
    {
        string epochs = string.Create(CultureInfo.InvariantCulture,
            $"{plan.Model} trained here with TorchSharp: {plan.FloatEpochs} float epochs, then {plan.QatEpochs} quantisation-aware epochs per format (per-channel scales, seed {plan.Seed}{(plan.TrainImages is int n ? $", first {n} training images" : "")}); pruned networks: {plan.PruneRounds} rounds of {plan.PruneEpochs} epoch(s) at a peak learning rate of {plan.PruneLearningRate.ToString(CultureInfo.InvariantCulture)} from the unpruned network");
        var sources = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Accuracy"] = $"{epochs}; the exported .potnet model with the integer ReferenceEngine on the whole {plan.Data} test set (the float network: TorchSharp)",
            ["Cycles and verification"] = $"Verilator simulation of each generated design on the first {plan.Images} test images: every logit and class compared with the ReferenceEngine, every cycle and event counter with the C# cycle model",
            ["Energy"] = $"an energy model, not a measurement: the cycle model's event counts (equal to the RTL's counters) times each table's energy per event ({string.Join(", ", plan.Tables)}; their sources are in the tables), plus static power x latency at {plan.ClockMegahertz.ToString(CultureInfo.InvariantCulture)} MHz",
        };
        if (synthesis != SynthesisScope.None)
        {
            string[] skipped = [.. plan.Designs.Where(d => !d.Synthesized).Select(d => d.Name)];
            string unsynthesised = skipped.Length > 0 ? $"; not synthesised in this plan: {string.Join(", ", skipped)}" : "";
            sources["Resources"] = (synthesis == SynthesisScope.Full
                ? "Yosys 0.23 synth_xilinx -family xcup (UltraScale+) of the whole design, -nodsp for MAC designs with LUT multipliers: estimates, not Vivado results"
                : "Yosys 0.23 synth_xilinx -family xcup (UltraScale+) of one PE of each design (L lanes, adder tree, accumulator, requantiser; a design has P of them), -nodsp for LUT multipliers: estimates, not Vivado results") + unsynthesised;
        }

        if (Timed)
        {
            sources["Timing"] = "tool-computed: Yosys 0.23 maps each design's logic to the OSU 0.18 um cells (Debian qflow-tech-osu018, typical corner, 1.8 V; dfflibmap, abc -liberty), memories kept as macros timed as ideal registers; OpenSTA (Debian opensta) report_checks gives the critical path and Fmax; latency is the simulated cycles at Fmax";
        }

        if (synthesis != SynthesisScope.None && plan.Designs.Any(d => d.GateLevel))
        {
            sources["Gate-level power"] = $"logic tool-computed: Yosys 0.23 maps the design's logic to the OSU 0.18 um cells (memories as macros), Verilator simulates the netlist on the first {plan.GateLevelImages} test images and counts every net's transitions, OpenSTA report_power -instances prices each instance (typical corner, 1.8 V), leakage over the latency at Fmax; memories modelled ({MemoryEnergy.Source})";
        }

        return sources;
    }
}
