using PotNet.Float;
using TorchSharp;
using static TorchSharp.torch;

namespace PotNet.Training.Pruning;

/// <summary>
/// One weighted layer's weight columns as the accelerator skips them: output channel <c>co</c> belongs
/// to PE group <c>co / P</c> (the last group may be partial), and column (g, k) is the weights
/// <c>w[g*P .. g*P+P-1][k]</c> of the group at fan-in index k (flattened over [in / groups, kh, kw],
/// or the input feature of a dense layer). A column whose codes are all zero costs no cycle, no weight
/// read and no accumulation; skipping it saves one step of its group at every output position.
/// </summary>
public sealed class Columns
{
    private Columns(string layer, int outChannels, int fanIn, int positions, int group)
    {
        Layer = layer;
        OutChannels = outChannels;
        FanIn = fanIn;
        Positions = positions;
        Group = group;
        Groups = (outChannels + group - 1) / group;
    }

    /// <summary>The layer's name.</summary>
    public string Layer { get; }

    /// <summary>Output channels (rows of the weight matrix).</summary>
    public int OutChannels { get; }

    /// <summary>Weights per output channel; columns per PE group.</summary>
    public int FanIn { get; }

    /// <summary>Output positions per inference (1 for a dense layer).</summary>
    public int Positions { get; }

    /// <summary>P: output channels per PE group.</summary>
    public int Group { get; }

    /// <summary>PE groups: OutChannels / P rounded up.</summary>
    public int Groups { get; }

    /// <summary>Output channels in PE group <paramref name="g"/> (P, or fewer in the last group).</summary>
    public int ChannelsIn(int g) => Math.Min(Group, OutChannels - (g * Group));

    /// <summary>The products skipping column (g, k) saves per inference: output positions x channels in group g.</summary>
    public long ProductsOf(int g) => (long)Positions * ChannelsIn(g);

    /// <summary>The layer's products per inference when nothing is skipped.</summary>
    public long Products => (long)Positions * OutChannels * FanIn;

    /// <summary>The columns of every weighted layer of <paramref name="network"/>, in order, for PE groups of <paramref name="group"/> channels.</summary>
    /// <exception cref="PotNetException"><paramref name="group"/> is below 1.</exception>
    public static IReadOnlyList<Columns> Of(QatNetwork network, int group)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (group < 1) throw new PotNetException($"group: {group} channels per PE group; must be at least 1");
        FloatModel architecture = network.Architecture;
        var result = new List<Columns>();
        using IEnumerator<QatLayer> layers = network.WeightedLayers.GetEnumerator();
        for (int i = 0; i < architecture.Layers.Count; i++)
        {
            if (architecture.Layers[i] is not FloatComputeLayer) continue;
            layers.MoveNext();
            QatLayer layer = layers.Current;
            PotNet.Model.Shape output = architecture.Shapes[i + 1];
            result.Add(new Columns(layer.GetName(), layer.Geometry.OutChannels, layer.Geometry.FanIn, output.Height * output.Width, group));
        }

        return result;
    }

    /// <summary>
    /// Sums a tensor of the weight's shape over each column's channels: [Groups, FanIn] (the last
    /// group's missing channels count as zero). The result keeps the input's dtype.
    /// </summary>
    public Tensor Sum(Tensor weightShaped)
    {
        ArgumentNullException.ThrowIfNull(weightShaped);
        using var scope = NewDisposeScope();
        Tensor rows = weightShaped.reshape(OutChannels, FanIn);
        long missing = ((long)Groups * Group) - OutChannels;
        if (missing > 0) rows = cat([rows, zeros([missing, FanIn], rows.dtype)], 0);
        return rows.view(Groups, Group, FanIn).sum(1).MoveToOuterDisposeScope();
    }

    /// <summary>A [Groups, FanIn] tensor made a tensor of the weight's shape: every channel of a group gets its column's value.</summary>
    public Tensor Expand(Tensor columns, long[] weightShape)
    {
        ArgumentNullException.ThrowIfNull(columns);
        using var scope = NewDisposeScope();
        Tensor rows = columns.view(Groups, 1, FanIn).expand(Groups, Group, FanIn).reshape(Groups * Group, FanIn);
        return rows.narrow(0, 0, OutChannels).reshape(weightShape).MoveToOuterDisposeScope();
    }

    /// <summary>Products per column, [Groups, FanIn] float64: output positions x channels in the column's group.</summary>
    public Tensor ProductsPerColumn()
    {
        using var scope = NewDisposeScope();
        Tensor perGroup = tensor(Enumerable.Range(0, Groups).Select(g => (double)ProductsOf(g)).ToArray(), ScalarType.Float64);
        return perGroup.view(Groups, 1).expand(Groups, FanIn).contiguous().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// The products kept per inference when every all-zero column of <paramref name="codes"/> (row-major
    /// [OutChannels, FanIn], the export's order) is skipped.
    /// </summary>
    public long ProductsKept(ReadOnlySpan<byte> codes, byte zero)
    {
        if (codes.Length != OutChannels * FanIn) throw new ArgumentException($"{codes.Length} codes for {OutChannels} x {FanIn} weights", nameof(codes));
        long kept = 0;
        for (int g = 0; g < Groups; g++)
        {
            for (int k = 0; k < FanIn; k++)
            {
                bool skipped = true;
                for (int co = g * Group; co < (g * Group) + ChannelsIn(g) && skipped; co++) skipped = codes[(co * FanIn) + k] == zero;
                if (!skipped) kept += ProductsOf(g);
            }
        }

        return kept;
    }
}
