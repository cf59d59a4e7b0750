using PotNet.Model;

namespace PotNet.Hardware;

/// <summary>
/// Which steps a zero-skipping design issues. A step feeds the P PEs of a group at once, so it can be
/// skipped only when every code it would give them is zero: one tap of the group's P channels where
/// the lanes are columns (a column of P weights), L consecutive taps of them where the lanes are taps
/// (a block of P x L weights, since the L lanes share one tap index). The pruning that produces such
/// zeros is in <c>PotNet.Training.Pruning</c>; skipping itself never changes a result, since a skipped
/// step would have added zero.
/// </summary>
public static class ZeroSkipping
{
    /// <summary>
    /// Per group of P output channels of <paramref name="layer"/>, the step units it keeps, in order:
    /// unit u covers taps [u * <paramref name="tapsPerUnit"/>, (u + 1) * <paramref name="tapsPerUnit"/>) of the fan-in.
    /// A group whose codes are all zero keeps unit 0, so that it still issues the step that writes its bias.
    /// </summary>
    public static int[][] KeptUnits(ComputeLayer layer, int parallel, int tapsPerUnit, int groups)
    {
        ArgumentNullException.ThrowIfNull(layer);
        int fanIn = layer.Geometry.FanIn, channels = layer.Geometry.OutChannels, units = (fanIn + tapsPerUnit - 1) / tapsPerUnit;
        byte zero = layer.Weights.Format.ZeroCode;
        ReadOnlySpan<byte> codes = layer.Weights.Codes;
        var kept = new int[groups][];
        var list = new List<int>(units);
        for (int g = 0; g < groups; g++)
        {
            list.Clear();
            int first = g * parallel, end = Math.Min(first + parallel, channels);
            for (int u = 0; u < units; u++)
            {
                int from = u * tapsPerUnit, to = Math.Min(from + tapsPerUnit, fanIn);
                bool any = false;
                for (int c = first; c < end && !any; c++)
                {
                    any = codes.Slice((c * fanIn) + from, to - from).ContainsAnyExcept(zero);
                }

                if (any) list.Add(u);
            }

            kept[g] = list.Count == 0 ? [0] : [.. list];
        }

        return kept;
    }
}
