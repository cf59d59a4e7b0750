using PotNet.Model;

namespace PotNet.Engines.Fast;

/// <summary>
/// One convolution group of a weighted layer as <see cref="ComputeStep"/> runs it: the group's weights
/// packed for the kernels and the <see cref="InputPlane"/> its kernel reads, with <see cref="Im2Col"/> the
/// copy that fills it, or, where the plane does not apply, its rows of the im2col table as runs; it writes
/// the accumulator columns
/// from <see cref="Column"/> (its first output channel). A layer of one group has one, at column 0.
/// </summary>
internal sealed record GroupKernel(PackedWeights Weights, Im2Col Im2Col, InputPlane? Plane, int ColumnUnits, int Column)
{
    /// <summary>
    /// Packs group <paramref name="group"/> of <paramref name="layer"/>: <paramref name="gather"/> is the
    /// layer's physical index table [groups, positions, FanIn], <paramref name="weights"/> its decoded
    /// weights [OutChannels, FanIn], <paramref name="output"/> its output shape, and <paramref name="positions"/>
    /// the output position that each position of the product computes (all of them in order, or a fused pool's
    /// windows). The unit kind is chosen for the group's own weights.
    /// </summary>
    public static GroupKernel Create(ComputeLayer layer, int group, int[] gather, int[] weights, Shape output, int[] positions, FastPath path)
    {
        ConvGeometry geometry = layer.Geometry;
        int fanIn = geometry.FanIn, channels = geometry.OutChannelsPerGroup, first = group * channels, outputPositions = output.Height * output.Width;
        int[] rows = gather[(group * outputPositions * fanIn)..((group + 1) * outputPositions * fanIn)];
        int[] own = weights[(first * fanIn)..((first + channels) * fanIn)];
        ReadOnlySpan<int> bias = layer.Bias.Slice(first, channels);
        // One position (a dense layer) reads each input byte once either way, and runs batched from its im2col row.
        if (outputPositions > 1 && InputPlane.Pack(geometry, output, positions, rows, own, bias, path) is var (plane, copy, spread))
        {
            return new GroupKernel(spread, copy, plane, plane.ColumnUnits, first);
        }

        int[] order = ReductionOrder(rows, fanIn);
        var packed = PackedWeights.Pack(own, bias, order, PackedWeights.Choose(own, order, channels, path), ComputeStep.Lanes(path));

        int length = packed.Length;
        var table = new int[positions.Length * length];
        for (int p = 0; p < positions.Length; p++)
        {
            for (int j = 0; j < length; j++) table[p * length + j] = j < fanIn ? rows[positions[p] * fanIn + order[j]] : Im2Col.Unused;
        }

        return new GroupKernel(packed, new Im2Col(table, length), null, positions.Length * packed.UnitRows, first);
    }

    /// <summary>
    /// The order of the reduction indices: ascending physical input index at a position clear of the
    /// padding, so that each position's im2col row reads runs of consecutive bytes. Any order gives
    /// the same sums; this one only reads memory better.
    /// </summary>
    private static int[] ReductionOrder(int[] gather, int fanIn)
    {
        int[] order = Enumerable.Range(0, fanIn).ToArray();
        for (int p = 0; p < gather.Length / fanIn; p++)
        {
            int[] row = gather[(p * fanIn)..((p + 1) * fanIn)];
            if (Array.IndexOf(row, -1) < 0)
            {
                Array.Sort(row, order);
                break;
            }
        }

        return order;
    }
}
