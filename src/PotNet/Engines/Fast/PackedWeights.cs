using PotNet.Engines;
using System.Runtime.InteropServices;

namespace PotNet.Engines.Fast;

/// <summary>
/// A weighted layer's weights and bias (or one convolution group's) packed for the kernels:
/// UnitRows x Width 32-bit units, where a unit holds <see cref="UnitKind"/> consecutive reduction indices (in the layer's permuted order)
/// and Width is the output channels padded with zeros to the vector width, in blocks of one vector's
/// channels, each block [UnitRows, lanes] (<see cref="Index"/>): the kernel streams a block's weights in
/// order, where rows of the whole width put the loads of a dense layer 512 bytes apart (cnn's fc1, 128 channels).
/// </summary>
internal sealed class PackedWeights
{
    private PackedWeights(UnitKind kind, int unitRows, int width, int[] units, int[] bias, int[] rowUnits, int[] pairedRows)
    {
        Kind = kind;
        UnitRows = unitRows;
        Width = width;
        Units = units;
        Bias = bias;
        RowUnits = rowUnits;
        PairedRows = pairedRows;
    }

    public UnitKind Kind { get; }

    /// <summary>Units per output channel: the reduction length over the unit size, rounded up.</summary>
    public int UnitRows { get; }

    public int Width { get; }

    public int[] Units { get; }

    public int[] Bias { get; }

    /// <summary>
    /// [blocks, UnitRows]: the column unit that each of a block's weight rows multiplies. A block's rows are
    /// in column order except for quads, whose int16 pairs come first (<see cref="UnitPairing"/>), in one order
    /// for the blocks of a tile (<see cref="TileBlocks"/>).
    /// </summary>
    public int[] RowUnits { get; }

    /// <summary>Per block: how many of its first rows the kernel sums as int16 pairs (even; zero but for quads).</summary>
    public int[] PairedRows { get; }

    /// <summary>
    /// Blocks of channels that <see cref="Gemm"/> computes together, each unit broadcast once for all of them:
    /// blocks <c>TileBlocks * t</c> on have their rows in one order and the same pairs.
    /// </summary>
    public const int TileBlocks = 2;

    /// <summary>Reduction length after padding to whole units.</summary>
    public int Length => UnitRows * (int)Kind;

    /// <summary>
    /// Packs <paramref name="weights"/> ([outChannels, fanIn], reduction index <c>order[j]</c> at position j)
    /// as <paramref name="kind"/> units, for kernels <paramref name="lanes"/> channels wide.
    /// </summary>
    public static PackedWeights Pack(int[] weights, ReadOnlySpan<int> bias, int[] order, UnitKind kind, int lanes)
    {
        int outChannels = bias.Length, fanIn = order.Length, size = (int)kind;
        int unitRows = (fanIn + size - 1) / size, width = (outChannels + lanes - 1) / lanes * lanes;
        var units = new int[unitRows * width];
        Span<byte> bytes = MemoryMarshal.AsBytes(units.AsSpan());
        Span<short> shorts = MemoryMarshal.Cast<int, short>(units.AsSpan());
        for (int co = 0; co < outChannels; co++)
        {
            for (int j = 0; j < fanIn; j++)
            {
                int w = weights[co * fanIn + order[j]], unit = Index(j / size, co, unitRows, lanes);
                switch (kind)
                {
                    case UnitKind.Quad: bytes[unit * 4 + j % 4] = (byte)(sbyte)w; break;
                    case UnitKind.Pair: shorts[unit * 2 + j % 2] = (short)w; break;
                    default: units[unit] = w; break;
                }
            }
        }

        int blocks = width / lanes;
        int[] rowUnits = [.. Enumerable.Range(0, blocks).SelectMany(_ => Enumerable.Range(0, unitRows))];
        var pairedRows = new int[blocks];
        if (kind == UnitKind.Quad)
        {
            for (int first = 0; first < blocks; first += TileBlocks)
            {
                // One order for the tile's blocks, since the kernel broadcasts each unit to all of them: a pair
                // must fit in every channel of the tile ([units, tile lanes], the blocks' rows side by side).
                int tile = Math.Min(TileBlocks, blocks - first), tileLanes = tile * lanes;
                var rowsOfTile = new int[unitRows * tileLanes];
                for (int r = 0; r < unitRows; r++)
                {
                    for (int t = 0; t < tile; t++) units.AsSpan(((first + t) * unitRows + r) * lanes, lanes).CopyTo(rowsOfTile.AsSpan(r * tileLanes + t * lanes));
                }

                (int[] rows, int paired) = UnitPairing.Match(rowsOfTile, unitRows, tileLanes);
                for (int b = first; b < first + tile; b++)
                {
                    Span<int> block = units.AsSpan(b * unitRows * lanes, unitRows * lanes);
                    int[] natural = block.ToArray();
                    for (int r = 0; r < unitRows; r++) natural.AsSpan(rows[r] * lanes, lanes).CopyTo(block[(r * lanes)..]);
                    rows.CopyTo(rowUnits, b * unitRows);
                    pairedRows[b] = paired;
                }
            }
        }

        var padded = new int[width];
        bias.CopyTo(padded);
        return new PackedWeights(kind, unitRows, width, units, padded, rowUnits, pairedRows);
    }

    /// <summary>Where unit row <paramref name="unit"/> of channel <paramref name="co"/> is before a block's rows are reordered: its block of <paramref name="lanes"/> channels, then [units, lanes].</summary>
    public static int Index(int unit, int co, int units, int lanes) => (co / lanes * units + unit) * lanes + co % lanes;

    /// <summary>
    /// The narrowest unit whose kernel on <paramref name="path"/> is exact for these weights. Quads
    /// need s8 weights; without VNNI they go through <c>vpmaddubsw</c>, which saturates each pair's
    /// sum to int16, so every adjacent pair must also keep <c>255 * (w0 + w1)</c> within int16 for
    /// inputs of the same sign (pot4's ±64 always does: 2 * 255 * 64 = 32640). Pairs need int16 weights.
    /// </summary>
    public static UnitKind Choose(int[] weights, int[] order, int outChannels, FastPath path)
    {
        if (path is FastPath.Vector or FastPath.Scalar) return UnitKind.Single;
        bool bytes = true, shorts = true;
        int fanIn = order.Length;
        for (int co = 0; co < outChannels; co++)
        {
            for (int j = 0; j < fanIn; j += 2)
            {
                int w0 = weights[co * fanIn + order[j]], w1 = j + 1 < fanIn ? weights[co * fanIn + order[j + 1]] : 0;
                shorts &= Fits(w0, short.MinValue, short.MaxValue) && Fits(w1, short.MinValue, short.MaxValue);
                bytes &= Fits(w0, sbyte.MinValue, sbyte.MaxValue) && Fits(w1, sbyte.MinValue, sbyte.MaxValue);
                if (path != FastPath.AvxVnni)
                {
                    const long Top = byte.MaxValue;
                    bytes &= Top * (Math.Max(w0, 0) + Math.Max(w1, 0)) <= short.MaxValue
                        && Top * (Math.Min(w0, 0) + Math.Min(w1, 0)) >= short.MinValue;
                }
            }
        }

        return bytes ? UnitKind.Quad : shorts ? UnitKind.Pair : UnitKind.Single;
    }

    private static bool Fits(int w, int min, int max) => w >= min && w <= max;
}
