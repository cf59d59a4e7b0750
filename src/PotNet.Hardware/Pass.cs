using PotNet.Model;

namespace PotNet.Hardware;

/// <summary>
/// One pass of the accelerator over one layer: for each output position, for each group of P output
/// channels, <see cref="Steps"/> cycles of L lanes. Its tables are what the ROMs hold; the generator
/// writes them and the cycle model counts from them, so both follow this one description.
/// </summary>
public sealed class Pass
{
    /// <summary>A lane whose tap lies in the zero padding: it reads nothing and contributes 0.</summary>
    public const int Padding = -1;

    /// <summary>A lane beyond the layer's fan-in on the last step: idle.</summary>
    public const int Idle = -2;

    internal Pass(int index, LayerPlan step, PassKind kind, int positions, int groups, int steps, int outChannels, int source, int[] lanes)
    {
        Index = index;
        Step = step;
        Kind = kind;
        Positions = positions;
        Groups = groups;
        Steps = steps;
        OutChannels = outChannels;
        Source = source;
        Lanes = lanes;
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

    /// <summary>Cycles in which the pass issues steps.</summary>
    public long IssueCycles => (long)Positions * Groups * Steps;

    /// <summary>True for a weighted layer's pass.</summary>
    public bool IsCompute => Kind is PassKind.Hidden or PassKind.Logits;

    /// <summary>The layer's name.</summary>
    public string Name => Step.Layer.Name;
}
