using System.Text.Json;
using System.Text.Json.Serialization;

namespace PotNet.Cli.Reports;

/// <summary>Resources of a synthesised design (Yosys estimates).</summary>
internal sealed record ResourceFigures(long Luts, long FlipFlops, long Carries, long Dsps, double Brams, string Tool);

/// <summary>Gate-level timing of a design (Yosys mapping to a cell library, OpenSTA): tool-computed.</summary>
/// <param name="Library">The cell library.</param>
/// <param name="Cells">Library cells (memory macros not counted).</param>
/// <param name="AreaSquareMicrometres">Their area.</param>
/// <param name="FmaxMegahertz">The highest clock of the critical path (typical corner, memories timed as ideal registers).</param>
/// <param name="Startpoint">Where the critical path starts, by its place in the design.</param>
/// <param name="Endpoint">Where it ends.</param>
internal sealed record TimingFigures(string Library, long Cells, double AreaSquareMicrometres, double FmaxMegahertz, string Startpoint, string Endpoint);

/// <summary>One component's dynamic energy per inference at gate level.</summary>
/// <param name="Component">The component (the energy model's names).</param>
/// <param name="Memory">Its memory macros (modelled) rather than its cells (tool-computed).</param>
/// <param name="Cells">Library cells in it.</param>
/// <param name="DynamicPicojoules">Dynamic energy per inference.</param>
internal sealed record GateComponentFigures(string Component, bool Memory, long Cells, double DynamicPicojoules);

/// <summary>
/// Gate-level power of a design: its logic mapped to a cell library by Yosys and simulated on test
/// images, each instance priced by OpenSTA (tool-computed), its memories modelled; static energy is
/// the leakage over the latency at Fmax. <see cref="Tables"/> are the energy tables' estimates of the
/// same design at that clock, for comparison.
/// </summary>
internal sealed record GatePowerFigures(
    string Library, int Images, bool BitExact, long Cells, double AreaSquareMicrometres, double FmaxMegahertz, double CyclesPerInference,
    IReadOnlyList<GateComponentFigures> Components, double LeakageWatts, double StaticPicojoules, string LogicSource, string MemorySource,
    IReadOnlyDictionary<string, double> Seconds, IReadOnlyList<EnergyFigures>? Tables = null)
{
    /// <summary>Dynamic energy per inference, all components.</summary>
    public double DynamicPicojoules => Components.Sum(c => c.DynamicPicojoules);

    /// <summary>Dynamic plus static energy per inference at Fmax.</summary>
    public double TotalPicojoules => DynamicPicojoules + StaticPicojoules;

    /// <summary>Dynamic energy per inference by component, cells and memories together.</summary>
    public IReadOnlyDictionary<string, double> ByComponent() =>
        Components.GroupBy(c => c.Component).ToDictionary(g => g.Key, g => g.Sum(c => c.DynamicPicojoules), StringComparer.Ordinal);
}

/// <summary>Energy per inference of a design under one energy table (an energy model).</summary>
internal sealed record EnergyFigures(
    string Table, double TotalPicojoules, double DynamicPicojoules, double StaticPicojoules,
    IReadOnlyDictionary<string, double> ByLayer, IReadOnlyDictionary<string, double> ByComponent);

/// <summary>
/// A generated accelerator for one model: its parameters and what simulation, synthesis and the energy
/// model said; <see cref="Failure"/> says what went wrong when the simulation did not verify.
/// </summary>
internal sealed record DesignFigures(
    string Pe, int P, int L, bool ZeroGating, string? Mac, long CyclesPerInference, int VerifiedImages, int Mismatches,
    ResourceFigures? Resources, IReadOnlyList<EnergyFigures> Energy, string? Failure = null, TimingFigures? Timing = null, GatePowerFigures? GatePower = null,
    string Dataflow = "stream", bool ZeroSkipping = false);

/// <summary>
/// One point of an experiment: a quantised model, its accuracy, and optionally its accelerator.
/// <see cref="Sparsity"/> is the pruning target (0 unpruned), <see cref="ZeroWeights"/> the fraction of
/// zero weights the model has.
/// </summary>
internal sealed record ResultPoint(
    string Id, string Model, string Dataset, string Weights, double Sparsity, string? Pruning,
    double? Accuracy, int? AccuracyImages, DesignFigures? Design, double? ZeroWeights = null)
{
    /// <summary>The design's energy per inference under <paramref name="table"/>, if it was priced with it.</summary>
    public EnergyFigures? EnergyUnder(string table) => Design?.Energy.FirstOrDefault(e => e.Table == table);
}

/// <summary>
/// The results of a reproduce run or of a sweep (or of one shard of it): points keyed by id, a text
/// per kind of number saying where it came from, the lanes' switching activity when measured, and
/// the steps that made the results (ran or cached, and their wall time). Shards of one sweep merge
/// into one set.
/// </summary>
internal sealed record ResultSet(
    string Title, string Sweep, IReadOnlyList<ResultPoint> Points, IReadOnlyDictionary<string, string> Sources,
    Commands.SwitchingReport? Switching = null, IReadOnlyList<Pipeline.StepTiming>? Steps = null)
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes the set as JSON (report.json, or a shard's result file).</summary>
    public void Save(string path) => PotNet.Serialization.AtomicFile.Write(path, s => JsonSerializer.Serialize(s, this, Options));

    /// <summary>Reads a set written by <see cref="Save"/>.</summary>
    public static ResultSet Load(string path)
    {
        if (!File.Exists(path)) throw new PotNetException($"{path}: no such result file");
        try
        {
            using FileStream stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<ResultSet>(stream, Options) is { Points: not null, Sources: not null } set
                ? set
                : throw new PotNetException($"{path}: not a PotNet result file");
        }
        catch (JsonException ex)
        {
            throw new PotNetException($"{path}: not a PotNet result file ({ex.Message})");
        }
    }

    /// <summary>
    /// Combines the shards of one sweep: every set must come from the same sweep, and a point present
    /// in two sets must be the same in both.
    /// </summary>
    public static ResultSet Merge(IReadOnlyList<(string Path, ResultSet Set)> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count == 0) throw new PotNetException("report --merge: no result files");
        (string firstPath, ResultSet first) = shards[0];
        var points = new Dictionary<string, ResultPoint>(StringComparer.Ordinal);
        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var steps = new List<Pipeline.StepTiming>();
        foreach ((string path, ResultSet set) in shards)
        {
            if (set.Sweep != first.Sweep)
            {
                throw new PotNetException($"{path}: comes from sweep {set.Sweep}, but {firstPath} from sweep {first.Sweep}: results of different sweeps do not merge");
            }

            foreach (ResultPoint point in set.Points)
            {
                if (points.TryGetValue(point.Id, out ResultPoint? seen) && !SameJson(seen, point))
                {
                    throw new PotNetException($"{path}: point '{point.Id}' differs from the same point in another shard");
                }

                points[point.Id] = point;
            }

            foreach ((string k, string v) in set.Sources) sources[k] = v;
            steps.AddRange(set.Steps ?? []);
        }

        return new ResultSet(
            first.Title, first.Sweep, [.. points.Values.OrderBy(p => p.Id, StringComparer.Ordinal)], sources,
            shards.Select(s => s.Set.Switching).FirstOrDefault(s => s is not null), steps);
    }

    private static bool SameJson(ResultPoint a, ResultPoint b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options);
}
