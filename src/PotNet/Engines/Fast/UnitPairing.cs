namespace PotNet.Engines.Fast;

/// <summary>
/// Pairs the quad units of one tile of weights (the channels that share each broadcast, <see cref="PackedWeights.TileBlocks"/>) whose products the kernel may sum
/// in int16 before it widens them: <c>vpmaddwd(vpmaddubsw(x0, w0) + vpmaddubsw(x1, w1), 1)</c> takes three
/// multiplies for two units where two <see cref="IMulAdd{TVector}.Invoke"/>s take four, and the multiplies
/// bound the kernel. Each int16 lane of the sum then holds four products, taps 0-1 (or 2-3) of both units,
/// so a pair is exact when, in every channel and both halves, u8 activations up to 255 keep those four
/// weights' sum within int16: the positive weights sum to at most 128, the negative to at least -128.
/// </summary>
/// <remarks>
/// Units may be summed in any order (int32 sums wrap exactly), so the tile's rows are reordered: its pairs
/// first, then the units that found no partner. PoT weights are mostly small, so most units pair: the greedy
/// match below takes each unit from the heaviest and gives it the lightest partner that fits.
/// </remarks>
internal static class UnitPairing
{
    /// <summary>
    /// The order of the tile's rows (<paramref name="tile"/>, [units, lanes] quads) with its pairs first,
    /// and how many rows the pairs take (even).
    /// </summary>
    public static (int[] Order, int PairedRows) Match(ReadOnlySpan<int> tile, int units, int lanes)
    {
        // Per unit, lane and half: the sum of the positive weights and of the negative ones.
        var positive = new int[units * lanes * 2];
        var negative = new int[units * lanes * 2];
        var load = new int[units];
        for (int u = 0; u < units; u++)
        {
            for (int c = 0; c < lanes; c++)
            {
                int unit = tile[u * lanes + c];
                for (int h = 0; h < 2; h++)
                {
                    int i = (u * lanes + c) * 2 + h;
                    int w0 = (sbyte)(unit >> (16 * h)), w1 = (sbyte)(unit >> (16 * h + 8));
                    positive[i] = Math.Max(w0, 0) + Math.Max(w1, 0);
                    negative[i] = Math.Min(w0, 0) + Math.Min(w1, 0);
                    load[u] = Math.Max(load[u], Math.Max(positive[i], -negative[i]));
                }
            }
        }

        int[] heaviest = [.. Enumerable.Range(0, units).OrderByDescending(u => load[u])];
        var paired = new bool[units];
        var order = new List<int>(units);
        for (int i = 0; i < units; i++)
        {
            int a = heaviest[i];
            if (paired[a]) continue;
            for (int j = units - 1; j > i; j--)
            {
                int b = heaviest[j];
                if (paired[b] || !Fits(a, b)) continue;
                paired[a] = paired[b] = true;
                order.Add(a);
                order.Add(b);
                break;
            }
        }

        int pairedRows = order.Count;
        order.AddRange(Enumerable.Range(0, units).Where(u => !paired[u]));
        return ([.. order], pairedRows);

        bool Fits(int a, int b)
        {
            const int Top = byte.MaxValue;
            for (int k = 0; k < lanes * 2; k++)
            {
                int ia = a * lanes * 2 + k, ib = b * lanes * 2 + k;
                if (Top * (positive[ia] + positive[ib]) > short.MaxValue || Top * (negative[ia] + negative[ib]) < short.MinValue) return false;
            }

            return true;
        }
    }
}
