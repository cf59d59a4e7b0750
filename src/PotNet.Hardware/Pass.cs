using PotNet.Model;

namespace PotNet.Hardware;

/// <summary>
/// One pass of the accelerator over one layer: for each issue position (an output position, or a tile
/// of L output columns when the lanes are columns, <see cref="Mapping"/>), for each group of P output
/// channels, <see cref="Steps"/> cycles of L lanes. <see cref="Lanes"/> says what each lane reads;
/// <see cref="Taps"/> is what the tap ROM holds, from which the address unit computes the same reads.
/// The generator writes the ROMs and the cycle model counts from these tables, so both follow this
/// one description.
/// </summary>
public sealed class Pass
{
    /// <summary>A lane whose tap lies in the zero padding: it reads nothing and contributes 0.</summary>
    public const int Padding = -1;

    /// <summary>A lane beyond the layer's fan-in on the last step: idle.</summary>
    public const int Idle = -2;

    private readonly int _lanes;

    internal Pass(int index, LayerPlan step, PassKind kind, int groups, int steps, int outChannels, int source, int[] lanes, PassLayout layout, int laneCount, LaneMapping mapping, FusedPool? pool = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Index = index;
        Step = step;
        Kind = kind;
        Mapping = mapping;
        OutputPositions = layout.Window.OutPositions * layout.Window.Channels;
        _lanes = laneCount;
        Positions = layout.Window.OutHeight * IssueColumns(mapping, layout.Window.OutWidth, laneCount) * layout.Window.Channels;
        Groups = groups;
        Steps = steps;
        OutChannels = outChannels;
        Source = source;
        Lanes = lanes;
        if (_lanes * Positions * steps != lanes.Length) throw new InvalidOperationException($"pass {index}: a lane table of {lanes.Length} entries for {Positions} positions x {steps} steps");
        Window = layout.Window;
        SourceLayout = layout.Source;
        TargetLayout = layout.Target;
        Taps = layout.Taps;
        Pool = pool;
    }

    /// <summary>Position of the pass in the schedule.</summary>
    public int Index { get; }

    /// <summary>The layer and its shapes.</summary>
    public LayerPlan Step { get; }

    /// <summary>What the pass computes.</summary>
    public PassKind Kind { get; }

    /// <summary>
    /// Issue positions: output positions (height x width of a weighted layer's output, every output
    /// element of a pool), or, when the lanes are columns, output rows x tiles of L columns.
    /// </summary>
    public int Positions { get; }

    /// <summary>Output positions written: height x width of a weighted layer's output, every output element of a pool.</summary>
    public int OutputPositions { get; }

    /// <summary>What the lanes compute at once: taps of one output, or one tap of L adjacent outputs.</summary>
    public LaneMapping Mapping { get; }

    /// <summary>Output columns one issue position covers: L when the lanes are columns, else 1.</summary>
    public int ColumnsPerPosition => Mapping switch
    {
        LaneMapping.Taps => 1,
        LaneMapping.Columns => _lanes,
    };

    /// <summary>Taps a lane advances per step: L when the lanes are taps, 1 when they are columns.</summary>
    public int TapsPerStep => Mapping switch
    {
        LaneMapping.Taps => _lanes,
        LaneMapping.Columns => 1,
    };

    /// <summary>Output columns lane <paramref name="lane"/> lies right of its issue position's first: the lane when the lanes are columns, else 0.</summary>
    public int LaneColumn(int lane) => Mapping switch
    {
        LaneMapping.Taps => 0,
        LaneMapping.Columns => lane,
    };

    /// <summary>Issue positions per output row: the output's columns, or its tiles of L columns.</summary>
    public int PositionsPerRow => IssueColumns(Mapping, Window.OutWidth, _lanes);

    /// <summary>Groups of P output channels per position (1 for a pool).</summary>
    public int Groups { get; }

    /// <summary>Cycles per group: ceil(fan-in / L), or ceil(window / L) for a pool; when the lanes are columns, the fan-in.</summary>
    public int Steps { get; }

    /// <summary>Output channels (1 for a pool, whose outputs are all positions).</summary>
    public int OutChannels { get; }

    /// <summary>The activation buffer read (0 or 1); the other one is written.</summary>
    public int Source { get; }

    /// <summary>
    /// The address table, <c>[(position * Steps + step) * L + lane]</c>: the activation read by each lane
    /// (from <see cref="ConvGeometry.Gather"/> or <see cref="Pool2d.Windows"/>), or <see cref="Padding"/>
    /// or <see cref="Idle"/>.
    /// </summary>
    public IReadOnlyList<int> Lanes { get; }

    /// <summary>The counters' view: input and output rows and columns, stride, padding, channels walked.</summary>
    public PassWindow Window { get; }

    /// <summary>How the pass's input lies in the banks of buffer <see cref="Source"/> (a fused pool's input, <see cref="Pool"/>).</summary>
    public BankLayout SourceLayout { get; }

    /// <summary>
    /// The max pool fused into this weighted pass's row loads (<see cref="DataflowKind.RowBuffer"/>), or
    /// null: then <see cref="SourceLayout"/> is the pool's input as stored, and the lanes read the pooled
    /// tensor (<see cref="InputLayout"/>) from the row buffer.
    /// </summary>
    public FusedPool? Pool { get; }

    /// <summary>The tensor <see cref="Lanes"/> indexes, as channels of positions: the source as stored, or the pooled source when a pool is fused.</summary>
    public BankLayout InputLayout => Pool is null ? SourceLayout : new BankLayout(SourceLayout.Channels, Pool.Height * Pool.Width);

    /// <summary>How the pass's output lies in the banks of the other buffer (the logits: one per channel).</summary>
    public BankLayout TargetLayout { get; }

    /// <summary>
    /// The tap table, <c>[step * L + lane]</c>, the same for every position: with the address unit's
    /// counters it gives what <see cref="Lanes"/> lists (<see cref="AddressUnit.Read(Schedule, Pass, int, int, int)"/>).
    /// </summary>
    public IReadOnlyList<Tap> Taps { get; }

    /// <summary>
    /// The fan-in (or window) index lane <paramref name="lane"/> takes at step <paramref name="issue"/>:
    /// step * L + lane when the lanes are taps, the step when they are columns (past the fan-in: idle).
    /// </summary>
    public int Tap(Issue issue, int lane) => (issue.Step * TapsPerStep) + (Mapping switch
    {
        LaneMapping.Taps => lane,
        LaneMapping.Columns => 0,
    });

    /// <summary>What lane <paramref name="lane"/> reads at step <paramref name="issue"/>: its entry of <see cref="Lanes"/>.</summary>
    public int Lane(Issue issue, int lane) => Lanes[(((issue.Position * Steps) + issue.Step) * _lanes) + lane];

    /// <summary>Cycles in which the pass issues steps.</summary>
    public long IssueCycles => (long)Positions * Groups * Steps;

    /// <summary>True for a weighted layer's pass.</summary>
    public bool IsCompute => Kind is PassKind.Hidden or PassKind.Logits;

    /// <summary>The layer's name.</summary>
    public string Name => Step.Layer.Name;

    /// <summary>Issue positions per output row of <paramref name="outWidth"/> columns with <paramref name="lanes"/> lanes.</summary>
    internal static int IssueColumns(LaneMapping mapping, int outWidth, int lanes) => mapping switch
    {
        LaneMapping.Taps => outWidth,
        LaneMapping.Columns => (outWidth + lanes - 1) / lanes,
    };
}
