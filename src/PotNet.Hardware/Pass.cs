using PotNet.Model;

namespace PotNet.Hardware;

/// <summary>
/// One pass of the accelerator over one layer: for each issue position (an output position, or a tile
/// of L output columns when the lanes are columns, <see cref="Mapping"/>), for each group of P output
/// channels, <see cref="GroupSteps"/> cycles of L lanes. <see cref="Lane"/> says what each lane reads;
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
    private readonly int[] _reads;
    private readonly int _taps;
    private readonly int[][] _units;
    private readonly int[] _stepBase;

    // reads: per output position (a pool's: every output element) and tap, the element it reads
    // (ConvGeometry.Gather, Pool2d.Windows; negative for padding); taps: the fan-in or a pool's window;
    // units: per group, the step units it issues in order, the taps (lanes are columns) or blocks of
    // L taps (lanes are taps) it does not skip.
    internal Pass(int index, LayerPlan step, PassKind kind, int outChannels, int source, int[] reads, int taps, int[][] units, PassLayout layout, int laneCount, LaneMapping mapping, FusedPool? pool = null)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Index = index;
        Step = step;
        Kind = kind;
        Mapping = mapping;
        OutputPositions = layout.Window.OutPositions * layout.Window.Channels;
        _lanes = laneCount;
        Positions = layout.Window.OutHeight * IssueColumns(mapping, layout.Window.OutWidth, laneCount) * layout.Window.Channels;
        Groups = units.Length;
        OutChannels = outChannels;
        Source = source;
        _reads = reads;
        _taps = taps;
        _units = units;
        _stepBase = new int[units.Length + 1];
        for (int g = 0; g < units.Length; g++)
        {
            if (units[g].Length == 0) throw new InvalidOperationException($"pass {index}: group {g} issues no step");
            _stepBase[g + 1] = _stepBase[g] + units[g].Length;
        }

        Steps = units.Max(u => u.Length);
        if (reads.Length != (long)OutputPositions * taps) throw new InvalidOperationException($"pass {index}: {reads.Length} reads for {OutputPositions} outputs x {taps} taps");
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

    /// <summary>
    /// Steps of the group that issues the most: without skipping every group's, ceil(fan-in / L), or
    /// ceil(window / L) for a pool, or the fan-in when the lanes are columns.
    /// </summary>
    public int Steps { get; }

    /// <summary>Step units of a group that skips nothing: the taps when the lanes are columns, ceil(taps / L) blocks when they are taps.</summary>
    public int Units => Mapping switch
    {
        LaneMapping.Taps => (_taps + _lanes - 1) / _lanes,
        LaneMapping.Columns => _taps,
    };

    /// <summary>Whether the pass skips step units whose codes are all zero (a weighted pass of a zero-skipping design).</summary>
    public bool Skips { get; init; }

    /// <summary>Steps (cycles) group <paramref name="group"/> issues at each position.</summary>
    public int GroupSteps(int group) => _units[group].Length;

    /// <summary>Steps of the groups before <paramref name="group"/> at one position: the group's first word in the weight ROMs and the tap index.</summary>
    public int StepBase(int group) => _stepBase[group];

    /// <summary>Steps issued at each position, over all groups.</summary>
    public int PositionSteps => _stepBase[^1];

    /// <summary>The step unit step <paramref name="issue"/> takes: its tap (lanes are columns) or block of L taps (lanes are taps).</summary>
    public int Unit(Issue issue) => _units[issue.Group][issue.Step];

    /// <summary>Output channels (1 for a pool, whose outputs are all positions).</summary>
    public int OutChannels { get; }

    /// <summary>The activation buffer read (0 or 1); the other one is written.</summary>
    public int Source { get; }

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

    /// <summary>The tensor <see cref="Lane"/> indexes, as channels of positions: the source as stored, or the pooled source when a pool is fused.</summary>
    public BankLayout InputLayout => Pool is null ? SourceLayout : new BankLayout(SourceLayout.Channels, Pool.Height * Pool.Width);

    /// <summary>How the pass's output lies in the banks of the other buffer (the logits: one per channel).</summary>
    public BankLayout TargetLayout { get; }

    /// <summary>
    /// The tap table, <c>[step * L + lane]</c>, the same for every position: with the address unit's
    /// counters it gives what <see cref="Lane"/> names (<see cref="AddressUnit.Read(Schedule, Pass, int, int, int)"/>).
    /// </summary>
    public IReadOnlyList<Tap> Taps { get; }

    /// <summary>
    /// The fan-in (or window) index lane <paramref name="lane"/> takes at step <paramref name="issue"/>:
    /// unit * L + lane when the lanes are taps, the unit when they are columns (<see cref="Unit"/>;
    /// without skipping the unit is the step). At or past <see cref="TapCount"/>: idle.
    /// </summary>
    public int Tap(Issue issue, int lane) => (Unit(issue) * TapsPerStep) + LaneTap(lane);

    /// <summary>The tap lane <paramref name="lane"/> takes within a step: the lane when the lanes are taps, 0 when they are columns.</summary>
    public int LaneTap(int lane) => Mapping switch
    {
        LaneMapping.Taps => lane,
        LaneMapping.Columns => 0,
    };

    /// <summary>Taps per output: the fan-in, or a pool's window.</summary>
    public int TapCount => _taps;

    /// <summary>
    /// What lane <paramref name="lane"/> reads at step <paramref name="issue"/>: the element of the
    /// input (from <see cref="ConvGeometry.Gather"/> or <see cref="Pool2d.Windows"/>), or
    /// <see cref="Padding"/>, or <see cref="Idle"/> (past the taps, or, when the lanes are columns, past the row).
    /// </summary>
    public int Lane(Issue issue, int lane)
    {
        int k = Tap(issue, lane);
        if (k >= _taps) return Idle;
        int output = issue.Position;
        if (Mapping == LaneMapping.Columns)
        {
            int perRow = PositionsPerRow, ox = (issue.Position % perRow * _lanes) + lane;
            if (ox >= Window.OutWidth) return Idle;
            output = (issue.Position / perRow * Window.OutWidth) + ox;
        }

        return Math.Max(_reads[(output * _taps) + k], Padding);
    }

    /// <summary>Cycles in which the pass issues steps.</summary>
    public long IssueCycles => (long)Positions * PositionSteps;

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
