using PotNet.Float;
using TorchSharp;
using static TorchSharp.torch;

namespace PotNet.Training.Pruning;

/// <summary>
/// One weighted layer's weights in the units the accelerator skips (docs/architecture.md, "Zero
/// skipping on Q"): output channel <c>co</c> belongs to PE group <c>co / P</c> (the last group may be
/// partial), and unit (g, u) is the weights <c>w[g*P .. g*P+P-1][u*W .. u*W+W-1]</c> of the group at W
/// consecutive fan-in indices (flattened over [in / groups, kh, kw], or the input features of a dense
/// layer; the last unit may be partial). W is 1 (a *column*) in a hidden convolution, whose L lanes
/// compute L output columns with one tap, and L (a *block*) in a dense layer and the logits, whose L
/// lanes take L consecutive taps with one shared tap index: the row-buffer dataflow's lane mapping.
/// A unit whose codes are all zero costs no cycle, no weight read and no accumulation; skipping it
/// saves one step of its group at every output position.
/// </summary>
public sealed class Columns
{
    private Columns(string layer, int outChannels, int fanIn, int positions, int group, int width)
    {
        Layer = layer;
        OutChannels = outChannels;
        FanIn = fanIn;
        Positions = positions;
        Group = group;
        Width = width;
        Groups = (outChannels + group - 1) / group;
        Units = (fanIn + width - 1) / width;
    }

    /// <summary>The layer's name.</summary>
    public string Layer { get; }

    /// <summary>Output channels (rows of the weight matrix).</summary>
    public int OutChannels { get; }

    /// <summary>Weights per output channel.</summary>
    public int FanIn { get; }

    /// <summary>Output positions per inference (1 for a dense layer).</summary>
    public int Positions { get; }

    /// <summary>P: output channels per PE group.</summary>
    public int Group { get; }

    /// <summary>W: consecutive fan-in indices per unit (1 in hidden convolutions, L in dense layers and the logits).</summary>
    public int Width { get; }

    /// <summary>PE groups: OutChannels / P rounded up.</summary>
    public int Groups { get; }

    /// <summary>Units per PE group: FanIn / W rounded up.</summary>
    public int Units { get; }

    /// <summary>Output channels in PE group <paramref name="g"/> (P, or fewer in the last group).</summary>
    public int ChannelsIn(int g) => Math.Min(Group, OutChannels - (g * Group));

    /// <summary>Fan-in indices in unit <paramref name="u"/> (W, or fewer in the last unit).</summary>
    public int TapsIn(int u) => Math.Min(Width, FanIn - (u * Width));

    /// <summary>The weights of unit <paramref name="unit"/> (row-major [Groups, Units]).</summary>
    public long WeightsOf(int unit) => (long)ChannelsIn(unit / Units) * TapsIn(unit % Units);

    /// <summary>The products skipping unit <paramref name="unit"/> (row-major [Groups, Units]) saves per inference: output positions x its weights.</summary>
    public long ProductsOf(int unit) => Positions * WeightsOf(unit);

    /// <summary>The layer's products per inference when nothing is skipped.</summary>
    public long Products => (long)Positions * OutChannels * FanIn;

    /// <summary>
    /// The units of every weighted layer of <paramref name="network"/>, in order, for PE groups of
    /// <paramref name="group"/> channels and <paramref name="lanes"/> lanes per PE.
    /// </summary>
    /// <exception cref="PotNetException"><paramref name="group"/> or <paramref name="lanes"/> is below 1.</exception>
    public static IReadOnlyList<Columns> Of(QatNetwork network, int group, int lanes)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (group < 1) throw new PotNetException($"group: {group} channels per PE group; must be at least 1");
        if (lanes < 1) throw new PotNetException($"lanes: {lanes} lanes per PE; must be at least 1");
        FloatModel architecture = network.Architecture;
        int last = architecture.Layers.Select((layer, i) => (layer, i)).Last(p => p.layer is FloatComputeLayer).i;
        var result = new List<Columns>();
        using IEnumerator<QatLayer> layers = network.WeightedLayers.GetEnumerator();
        for (int i = 0; i < architecture.Layers.Count; i++)
        {
            if (architecture.Layers[i] is not FloatComputeLayer compute) continue;
            layers.MoveNext();
            QatLayer layer = layers.Current;
            PotNet.Model.Shape output = architecture.Shapes[i + 1];
            // As the row-buffer dataflow maps lanes: columns only in a hidden convolution with more than one output column.
            bool lanesAreColumns = !compute.IsDense && i != last && output.Width > 1;
            result.Add(new Columns(layer.GetName(), layer.Geometry.OutChannels, layer.Geometry.FanIn, output.Height * output.Width, group, lanesAreColumns ? 1 : lanes));
        }

        return result;
    }

    /// <summary>
    /// Sums a tensor of the weight's shape over each unit's weights: [Groups, Units] (missing channels
    /// and taps of the last group and unit count as zero). The result keeps the input's dtype.
    /// </summary>
    public Tensor Sum(Tensor weightShaped)
    {
        ArgumentNullException.ThrowIfNull(weightShaped);
        using var scope = NewDisposeScope();
        Tensor rows = weightShaped.reshape(OutChannels, FanIn);
        long missing = ((long)Groups * Group) - OutChannels, tail = ((long)Units * Width) - FanIn;
        if (missing > 0) rows = cat([rows, zeros([missing, FanIn], rows.dtype)], 0);
        if (tail > 0) rows = cat([rows, zeros([rows.shape[0], tail], rows.dtype)], 1);
        return rows.view(Groups, Group, Units, Width).sum([1, 3]).MoveToOuterDisposeScope();
    }

    /// <summary>A [Groups, Units] tensor made a tensor of the weight's shape: every weight of a unit gets its unit's value.</summary>
    public Tensor Expand(Tensor units, long[] weightShape)
    {
        ArgumentNullException.ThrowIfNull(units);
        using var scope = NewDisposeScope();
        Tensor rows = units.view(Groups, 1, Units, 1).expand(Groups, Group, Units, Width).reshape(Groups * Group, Units * Width);
        return rows.narrow(0, 0, OutChannels).narrow(1, 0, FanIn).reshape(weightShape).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The products kept per inference when every all-zero unit of <paramref name="codes"/> (row-major
    /// [OutChannels, FanIn], the export's order) is skipped.
    /// </summary>
    public long ProductsKept(ReadOnlySpan<byte> codes, byte zero)
    {
        if (codes.Length != OutChannels * FanIn) throw new ArgumentException($"{codes.Length} codes for {OutChannels} x {FanIn} weights", nameof(codes));
        long kept = 0;
        for (int g = 0; g < Groups; g++)
        {
            for (int u = 0; u < Units; u++)
            {
                bool skipped = true;
                for (int co = g * Group; co < (g * Group) + ChannelsIn(g) && skipped; co++) skipped = !codes.Slice((co * FanIn) + (u * Width), TapsIn(u)).ContainsAnyExcept(zero);
                if (!skipped) kept += ProductsOf((g * Units) + u);
            }
        }

        return kept;
    }
}
