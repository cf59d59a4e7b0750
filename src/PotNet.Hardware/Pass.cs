using PotNet.Model;

namespace PotNet.Hardware;

/// <summary>
/// One pass of the accelerator over one layer: for each output position, for each group of P output
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

    internal Pass(int index, LayerPlan step, PassKind kind, int groups, int steps, int outChannels, int source, int[] lanes, PassLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Index = index;
        Step = step;
        Kind = kind;
        Positions = layout.Window.OutPositions * layout.Window.Channels;
        Groups = groups;
        Steps = steps;
        OutChannels = outChannels;
        Source = source;
        Lanes = lanes;
        _lanes = lanes.Length / (Positions * steps);
        Window = layout.Window;
        SourceLayout = layout.Source;
        TargetLayout = layout.Target;
        Taps = layout.Taps;
    }

    /// <summary>Position of the pass in the schedule.</summary>
    public int Index { get; }

    /// <summary>The layer and its shapes.</summary>
    public LayerPlan Step { get; }

    /// <summary>What the pass computes.</summary>
    public PassKind Kind { get; }

    /// <summary>Output positions: height x width of a weighted layer's output, every output element of a pool.</summary>
    public int Positions { get; }

    /// <summary>Groups of P output channels per position (1 for a pool).</summary>
    public int Groups { get; }

    /// <summary>Cycles per group: ceil(fan-in / L), or ceil(window / L) for a pool.</summary>
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

    /// <summary>How the pass's input lies in the banks of buffer <see cref="Source"/>.</summary>
    public BankLayout SourceLayout { get; }

    /// <summary>How the pass's output lies in the banks of the other buffer (the logits: one per channel).</summary>
    public BankLayout TargetLayout { get; }

    /// <summary>
    /// The tap table, <c>[step * L + lane]</c>, the same for every position: with the address unit's
    /// counters it gives what <see cref="Lanes"/> lists (<see cref="AddressUnit.Read(Schedule, Pass, int, int, int)"/>).
    /// </summary>
    public IReadOnlyList<Tap> Taps { get; }

    /// <summary>What lane <paramref name="lane"/> reads at step <paramref name="issue"/>: its entry of <see cref="Lanes"/>.</summary>
    public int Lane(Issue issue, int lane) => Lanes[(((issue.Position * Steps) + issue.Step) * _lanes) + lane];

    /// <summary>Cycles in which the pass issues steps.</summary>
    public long IssueCycles => (long)Positions * Groups * Steps;

    /// <summary>True for a weighted layer's pass.</summary>
    public bool IsCompute => Kind is PassKind.Hidden or PassKind.Logits;

    /// <summary>The layer's name.</summary>
    public string Name => Step.Layer.Name;
}
