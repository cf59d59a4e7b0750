using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PotNet.Formats;
using PotNet.Hardware;
using PotNet.Hardware.Energy;
using PotNet.Training.Pruning;

namespace PotNet.Cli.Pipeline;

/// <summary>A network to train: its weight format, and how it is pruned (none, or a method and a target sparsity).</summary>
internal sealed record ModelSpec(string Weights, PruningMethod? Pruning = null, double Sparsity = 0)
{
    /// <summary>A short name, unique within a plan: <c>pot4</c>, <c>pot4-log-70</c>.</summary>
    public string Name => Pruning is PruningMethod m
        ? string.Create(CultureInfo.InvariantCulture, $"{Weights}-{m.Name()}-{Sparsity * 100:0.#}")
        : Weights;

    /// <summary>The PE kind whose arithmetic these weights need.</summary>
    public PeKind Pe => WeightFormat.Parse(Weights).Kind switch
    {
        FormatKind.Pot => PeKind.Bac,
        FormatKind.Uniform => PeKind.Mac,
        _ => PeKind.Apot,
    };
}

/// <summary>
/// An accelerator for a model: its configuration, whether the plan synthesises it (when the run
/// synthesises at all), and whether its gate-level power is measured (which needs synthesis too).
/// </summary>
internal sealed record DesignSpec(ModelSpec Model, AcceleratorConfig Config, bool Synthesized = true, bool GateLevel = false)
{
    /// <summary>A short name, unique within a plan: <c>pot4-bac-p8-l8</c>, <c>uniform4-mac-lut-p8-l8</c>.</summary>
    public string Name => $"{Model.Name}-{Config.PeName}{(Config.MultiplierName is string m ? $"-{m}" : "")}-p{Config.Parallel}-l{Config.Lanes}{(Config.ZeroGating ? "" : "-nogate")}{(Config.Dataflow == DataflowKind.Stream ? "" : $"-{Config.DataflowName}")}{(Config.ZeroSkipping ? "-skip" : "")}";
}

/// <summary>
/// What an experiment trains and builds: one float network, quantisation-aware networks fine-tuned
/// from it, pruned networks fine-tuned from one of those, and accelerators for them; and the effort
/// spent on each (epochs, simulated images). <c>potnet reproduce</c> runs <see cref="Reproduce"/>;
/// <c>potnet sweep</c> builds a plan from its options and runs one shard of its designs.
/// </summary>
internal sealed record ExperimentPlan
{
    /// <summary>The network architecture (see <c>potnet train --model</c>).</summary>
    public string Model { get; init; } = "lenet5";

    /// <summary>A dataset name or IDX directory.</summary>
    public string Data { get; init; } = "mnist";

    /// <summary>Float pre-training epochs.</summary>
    public int FloatEpochs { get; init; } = 15;

    /// <summary>Quantisation-aware epochs of each quantised network.</summary>
    public int QatEpochs { get; init; } = 3;

    /// <summary>Pruning rounds (each with <see cref="PruneEpochs"/> fine-tuning epochs).</summary>
    public int PruneRounds { get; init; } = 2;

    /// <summary>Fine-tuning epochs per pruning round.</summary>
    public int PruneEpochs { get; init; } = 1;

    /// <summary>
    /// Adam's peak learning rate of each pruning round's fine-tuning: five times the networks' own
    /// quantisation-aware rate, which recovers more of what a round's pruning costs (docs/results.md:
    /// lenet5 pot4 at 70 % zeros, 2 rounds x 1 epoch, 98.17 % against 97.65 %).
    /// </summary>
    public double PruneLearningRate { get; init; } = 1e-3;

    /// <summary>Train on the first N training images only (null: all of them).</summary>
    public int? TrainImages { get; init; }

    /// <summary>Seed of every training run.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Test images each design is simulated on.</summary>
    public int Images { get; init; } = 1000;

    /// <summary>Energy tables (presets or files) every design is priced with.</summary>
    public IReadOnlyList<string> Tables { get; init; } = EnergyTable.Presets;

    /// <summary>Clock for latency and static energy, in MHz.</summary>
    public double ClockMegahertz { get; init; } = 100;

    /// <summary>Whether the gate-level switching activity of the lanes is measured (needs pot, uniform and apot models).</summary>
    public bool Switching { get; init; }

    /// <summary>Whether every design is timed at gate level (OSU 0.18 um cells, OpenSTA).</summary>
    public bool Timing { get; init; }

    /// <summary>Test images the gate-level power of a design (<see cref="DesignSpec.GateLevel"/>) is measured on.</summary>
    public int GateLevelImages { get; init; } = 20;

    /// <summary>The networks, in training order.</summary>
    public IReadOnlyList<ModelSpec> Models { get; init; } = [];

    /// <summary>The accelerators.</summary>
    public IReadOnlyList<DesignSpec> Designs { get; init; } = [];

    /// <summary>
    /// The paper's comparison: lenet5 in float, uniform4 and pot4, and pot4 pruned with <c>log</c> at
    /// <paramref name="sparsities"/>, on MAC (DSP and LUT multipliers) and BAC accelerators at P = L = 8
    /// with zero gating, priced under every energy preset; uniform4 on MAC and pot4 on BAC again on the
    /// row-buffer dataflow; the pruned and row-buffer designs are simulated and priced, not synthesised. With <paramref name="full"/>, also what goes past the paper: apot4 on APoT, the
    /// 3-bit pair uniform3 on MAC and pot3 on BAC, the synthesis of the pruned designs, every design's
    /// gate-level timing (OSU 0.18 um cells), the gate-level power of pot4 on BAC, uniform4 on MAC,
    /// apot4, pot3 and the pruned design nearest 70 %, the lanes' gate-level switching activity, and
    /// apot4 and pot3 on the row-buffer dataflow too, and the row-buffer designs' synthesis; and the
    /// pruning curve: pot4 pruned with <c>log</c> and with <c>magnitude</c> at every sparsity, each on
    /// the row-buffer dataflow with zero skipping (simulated and priced).
    /// Both share every step they have in common (one cache serves both).
    /// </summary>
    public static ExperimentPlan Reproduce(IReadOnlyList<double> sparsities, bool full)
    {
        ModelSpec uniform4 = new("uniform4"), pot4 = new("pot4"), apot4 = new("apot4"), uniform3 = new("uniform3"), pot3 = new("pot3");
        ModelSpec[] pruned = [.. sparsities.Select(s => new ModelSpec("pot4", PruningMethod.Log, s))];
        ModelSpec[] magnitude = full ? [.. sparsities.Select(s => new ModelSpec("pot4", PruningMethod.Magnitude, s))] : [];
        AcceleratorConfig At(PeKind pe, MacMultiplier multiplier = MacMultiplier.Dsp) => new(pe, 8, 8, ZeroGating: true, multiplier);
        ModelSpec? gatePruned = pruned.MinBy(m => Math.Abs(m.Sparsity - 0.7));
        DesignSpec[] paper =
        [
            new(uniform4, At(PeKind.Mac), GateLevel: full),
            new(uniform4, At(PeKind.Mac, MacMultiplier.Lut)),
            new(pot4, At(PeKind.Bac), GateLevel: full),
            .. pruned.Select(m => new DesignSpec(m, At(PeKind.Bac), Synthesized: full, GateLevel: full && m == gatePruned)),
        ];
        DesignSpec[] beyond = full ? [new(apot4, At(PeKind.Apot), GateLevel: true), new(uniform3, At(PeKind.Mac)), new(pot3, At(PeKind.Bac), GateLevel: true)] : [];
        // The row-buffer dataflow beside the stream one: uniform4 and pot4 in the main job, simulated
        // and priced; with full also apot4 and pot3, and all four synthesised (Yosys takes about 3
        // minutes a design over it, against 40 s for stream's, which the main job's 10 minutes cannot take).
        (ModelSpec Model, PeKind Pe)[] rowBufferModels = full
            ? [(uniform4, PeKind.Mac), (pot4, PeKind.Bac), (apot4, PeKind.Apot), (pot3, PeKind.Bac)]
            : [(uniform4, PeKind.Mac), (pot4, PeKind.Bac)];
        DesignSpec[] rowBuffer = [.. rowBufferModels.Select(d => new DesignSpec(d.Model, At(d.Pe) with { Dataflow = DataflowKind.RowBuffer }, Synthesized: full))];
        DesignSpec[] skipping = full
            ? [.. pruned.Concat(magnitude).Select(m => new DesignSpec(m, At(PeKind.Bac) with { Dataflow = DataflowKind.RowBuffer, ZeroSkipping = true }, Synthesized: false))]
            : [];
        return new ExperimentPlan
        {
            Switching = full,
            Timing = full,
            Models = [uniform4, pot4, .. pruned, .. magnitude, .. beyond.Select(d => d.Model)],
            Designs = [.. paper, .. beyond, .. rowBuffer, .. skipping],
        };
    }

    /// <summary>
    /// A sweep: every format of <paramref name="weights"/>, each also pruned with <paramref name="method"/>
    /// at every nonzero sparsity, on accelerators at every (P, L) with zero gating (MAC with DSPs).
    /// </summary>
    public static ExperimentPlan Sweep(
        IReadOnlyList<string> weights, IReadOnlyList<double> sparsities, PruningMethod method, IReadOnlyList<int> parallel, IReadOnlyList<int> lanes)
    {
        ModelSpec[] models = [.. weights.SelectMany(w => sparsities.Select(s => s > 0 ? new ModelSpec(w, method, s) : new ModelSpec(w)))];
        DesignSpec[] designs = [.. models.SelectMany(m => parallel.SelectMany(p => lanes.Select(l => new DesignSpec(m, new AcceleratorConfig(m.Pe, p, l, ZeroGating: true)))))];
        foreach (DesignSpec d in designs) d.Config.Validate();
        return new ExperimentPlan { Models = models, Designs = designs };
    }

    /// <summary>
    /// An identifier of the plan's content (every setting, model and design): the shards of one sweep
    /// share it, so results of different sweeps are never merged.
    /// </summary>
    public string Id()
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{Model} {Data} {TrainImages} {FloatEpochs} {QatEpochs} {PruneRounds} {PruneEpochs} {PruneLearningRate} {Seed} {Images} {ClockMegahertz} {Switching} {Timing} {GateLevelImages}").AppendLine();
        foreach (string t in Tables) text.Append("table ").AppendLine(t);
        foreach (ModelSpec m in Models) text.Append("model ").AppendLine(m.Name);
        foreach (DesignSpec d in Designs) text.Append("design ").Append(d.Name).Append(d.Synthesized ? "" : " unsynthesised").AppendLine(d.GateLevel ? " gate-level" : "");
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
