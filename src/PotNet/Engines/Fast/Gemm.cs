using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PotNet.Engines.Fast;

/// <summary>
/// <c>acc[p, co] = bias[co] + sum_u dot(columns[p, u], weights[u, co])</c> with vectors over output
/// channels: each position's unit is broadcast against <c>TWidth.Lanes</c> channels' units. Four
/// positions share every weight load, and the two blocks of channels of a tile
/// (<see cref="PackedWeights.TileBlocks"/>) share every broadcast; the last positions, and a last block
/// without a partner, run alone. The units of each tile come in the order its packing chose, its int16
/// pairs first (<see cref="UnitPairing"/>, the multiply-add's <c>InvokePair</c>). <c>TColumns</c> says where
/// each unit is: in an im2col table, or in a padded input plane. Each finished vector goes to
/// <c>TOutput</c>: the int32 sums, requantised u8 (the epilogue), or a quartet's maximum requantised (a fused max pool).
/// </summary>
/// <remarks>
/// One loop nest for every width and unit kind: the type arguments are structs, so the JIT compiles
/// a copy per combination in which the width's and the operation's static calls are inlined, the
/// code dotnet/runtime's System.Numerics.Tensors gets from its operator structs.
/// </remarks>
internal static class Gemm
{
    public static void Run<TVector, TWidth, TOp, TColumns, TOutput>(in GemmArgs args, TColumns source, TOutput output)
        where TWidth : ISimdWidth<TVector>
        where TOp : IMulAdd<TVector>
        where TColumns : IGemmColumns, allows ref struct
        where TOutput : IGemmOutput<TVector>, allows ref struct
    {
        int blocks = args.Width / TWidth.Lanes, quartets = args.Positions & ~3;
        for (int first = 0; first < blocks; first += PackedWeights.TileBlocks)
        {
            int tile = Math.Min(PackedWeights.TileBlocks, blocks - first);
            // The tiled loop nest is written for two blocks; any other tile runs block by block.
            if (tile == 2)
            {
                TileQuartets<TVector, TWidth, TOp, TColumns, TOutput>(args, source, output, first, quartets);
            }
            else
            {
                for (int block = first; block < first + tile; block++) Quartets<TVector, TWidth, TOp, TColumns, TOutput>(args, source, output, block, quartets);
            }

            for (int block = first; block < first + tile; block++) Singles<TVector, TWidth, TOp, TColumns, TOutput>(args, source, output, block, quartets);
        }
    }

    /// <summary>
    /// Positions [0, <paramref name="end"/>) four at a time for the two blocks of a tile from <paramref name="first"/>:
    /// each broadcast unit serves both blocks' weights, eight accumulators in all.
    /// </summary>
    private static void TileQuartets<TVector, TWidth, TOp, TColumns, TOutput>(in GemmArgs args, TColumns source, TOutput output, int first, int end)
        where TWidth : ISimdWidth<TVector>
        where TOp : IMulAdd<TVector>
        where TColumns : IGemmColumns, allows ref struct
        where TOutput : IGemmOutput<TVector>, allows ref struct
    {
        ref byte columns = ref args.ColumnBytes;
        ref int w = ref args.BlockWeights(first, TWidth.Lanes), v = ref args.BlockWeights(first + 1, TWidth.Lanes), rows = ref args.BlockRows(first);
        int units = args.Units, co = first * TWidth.Lanes, co1 = co + TWidth.Lanes, paired = args.PairedRows[first];
        TVector bias = TWidth.Load(ref MemoryMarshal.GetReference(args.Bias), (nuint)co), bias1 = TWidth.Load(ref MemoryMarshal.GetReference(args.Bias), (nuint)co1);
        for (int p = 0; p < end; p += 4)
        {
            ref byte x0 = ref Unsafe.Add(ref columns, source.Row(p)), x1 = ref Unsafe.Add(ref columns, source.Row(p + 1));
            ref byte x2 = ref Unsafe.Add(ref columns, source.Row(p + 2)), x3 = ref Unsafe.Add(ref columns, source.Row(p + 3));
            TVector a0 = bias, a1 = bias, a2 = bias, a3 = bias, b0 = bias1, b1 = bias1, b2 = bias1, b3 = bias1;
            int u = 0;
            for (; u < paired; u += 2)
            {
                TVector w0 = TWidth.Load(ref w, (nuint)(u * TWidth.Lanes)), w1 = TWidth.Load(ref w, (nuint)((u + 1) * TWidth.Lanes));
                TVector v0 = TWidth.Load(ref v, (nuint)(u * TWidth.Lanes)), v1 = TWidth.Load(ref v, (nuint)((u + 1) * TWidth.Lanes));
                int at0 = source.Unit(Unsafe.Add(ref rows, u)), at1 = source.Unit(Unsafe.Add(ref rows, u + 1));
                TVector y = Broadcast<TVector, TWidth>(ref x0, at0), z = Broadcast<TVector, TWidth>(ref x0, at1);
                a0 = TOp.InvokePair(a0, y, w0, z, w1);
                b0 = TOp.InvokePair(b0, y, v0, z, v1);
                y = Broadcast<TVector, TWidth>(ref x1, at0);
                z = Broadcast<TVector, TWidth>(ref x1, at1);
                a1 = TOp.InvokePair(a1, y, w0, z, w1);
                b1 = TOp.InvokePair(b1, y, v0, z, v1);
                y = Broadcast<TVector, TWidth>(ref x2, at0);
                z = Broadcast<TVector, TWidth>(ref x2, at1);
                a2 = TOp.InvokePair(a2, y, w0, z, w1);
                b2 = TOp.InvokePair(b2, y, v0, z, v1);
                y = Broadcast<TVector, TWidth>(ref x3, at0);
                z = Broadcast<TVector, TWidth>(ref x3, at1);
                a3 = TOp.InvokePair(a3, y, w0, z, w1);
                b3 = TOp.InvokePair(b3, y, v0, z, v1);
            }

            for (; u < units; u++)
            {
                TVector wu = TWidth.Load(ref w, (nuint)(u * TWidth.Lanes)), vu = TWidth.Load(ref v, (nuint)(u * TWidth.Lanes));
                int at = source.Unit(Unsafe.Add(ref rows, u));
                TVector y = Broadcast<TVector, TWidth>(ref x0, at);
                a0 = TOp.Invoke(a0, y, wu);
                b0 = TOp.Invoke(b0, y, vu);
                y = Broadcast<TVector, TWidth>(ref x1, at);
                a1 = TOp.Invoke(a1, y, wu);
                b1 = TOp.Invoke(b1, y, vu);
                y = Broadcast<TVector, TWidth>(ref x2, at);
                a2 = TOp.Invoke(a2, y, wu);
                b2 = TOp.Invoke(b2, y, vu);
                y = Broadcast<TVector, TWidth>(ref x3, at);
                a3 = TOp.Invoke(a3, y, wu);
                b3 = TOp.Invoke(b3, y, vu);
            }

            output.Store(a0, a1, a2, a3, p, co);
            output.Store(b0, b1, b2, b3, p, co1);
        }
    }

    /// <summary>Positions [0, <paramref name="end"/>) four at a time for one block: four positions share every weight load.</summary>
    private static void Quartets<TVector, TWidth, TOp, TColumns, TOutput>(in GemmArgs args, TColumns source, TOutput output, int block, int end)
        where TWidth : ISimdWidth<TVector>
        where TOp : IMulAdd<TVector>
        where TColumns : IGemmColumns, allows ref struct
        where TOutput : IGemmOutput<TVector>, allows ref struct
    {
        ref byte columns = ref args.ColumnBytes;
        ref int w = ref args.BlockWeights(block, TWidth.Lanes), rows = ref args.BlockRows(block);
        int units = args.Units, co = block * TWidth.Lanes, paired = args.PairedRows[block];
        TVector bias = TWidth.Load(ref MemoryMarshal.GetReference(args.Bias), (nuint)co);
        for (int p = 0; p < end; p += 4)
        {
            ref byte x0 = ref Unsafe.Add(ref columns, source.Row(p)), x1 = ref Unsafe.Add(ref columns, source.Row(p + 1));
            ref byte x2 = ref Unsafe.Add(ref columns, source.Row(p + 2)), x3 = ref Unsafe.Add(ref columns, source.Row(p + 3));
            TVector a0 = bias, a1 = bias, a2 = bias, a3 = bias;
            int u = 0;
            for (; u < paired; u += 2)
            {
                TVector w0 = TWidth.Load(ref w, (nuint)(u * TWidth.Lanes)), w1 = TWidth.Load(ref w, (nuint)((u + 1) * TWidth.Lanes));
                int at0 = source.Unit(Unsafe.Add(ref rows, u)), at1 = source.Unit(Unsafe.Add(ref rows, u + 1));
                a0 = TOp.InvokePair(a0, Broadcast<TVector, TWidth>(ref x0, at0), w0, Broadcast<TVector, TWidth>(ref x0, at1), w1);
                a1 = TOp.InvokePair(a1, Broadcast<TVector, TWidth>(ref x1, at0), w0, Broadcast<TVector, TWidth>(ref x1, at1), w1);
                a2 = TOp.InvokePair(a2, Broadcast<TVector, TWidth>(ref x2, at0), w0, Broadcast<TVector, TWidth>(ref x2, at1), w1);
                a3 = TOp.InvokePair(a3, Broadcast<TVector, TWidth>(ref x3, at0), w0, Broadcast<TVector, TWidth>(ref x3, at1), w1);
            }

            for (; u < units; u++)
            {
                TVector wv = TWidth.Load(ref w, (nuint)(u * TWidth.Lanes));
                int at = source.Unit(Unsafe.Add(ref rows, u));
                a0 = TOp.Invoke(a0, Broadcast<TVector, TWidth>(ref x0, at), wv);
                a1 = TOp.Invoke(a1, Broadcast<TVector, TWidth>(ref x1, at), wv);
                a2 = TOp.Invoke(a2, Broadcast<TVector, TWidth>(ref x2, at), wv);
                a3 = TOp.Invoke(a3, Broadcast<TVector, TWidth>(ref x3, at), wv);
            }

            output.Store(a0, a1, a2, a3, p, co);
        }
    }

    /// <summary>Positions from <paramref name="start"/> on, one at a time, for one block: the last positions of every layer.</summary>
    private static void Singles<TVector, TWidth, TOp, TColumns, TOutput>(in GemmArgs args, TColumns source, TOutput output, int block, int start)
        where TWidth : ISimdWidth<TVector>
        where TOp : IMulAdd<TVector>
        where TColumns : IGemmColumns, allows ref struct
        where TOutput : IGemmOutput<TVector>, allows ref struct
    {
        ref byte columns = ref args.ColumnBytes;
        ref int w = ref args.BlockWeights(block, TWidth.Lanes), rows = ref args.BlockRows(block);
        int units = args.Units, co = block * TWidth.Lanes, paired = args.PairedRows[block];
        TVector bias = TWidth.Load(ref MemoryMarshal.GetReference(args.Bias), (nuint)co);
        for (int p = start; p < args.Positions; p++)
        {
            ref byte x = ref Unsafe.Add(ref columns, source.Row(p));
            TVector a = bias;
            int u = 0;
            for (; u < paired; u += 2)
            {
                a = TOp.InvokePair(
                    a,
                    Broadcast<TVector, TWidth>(ref x, source.Unit(Unsafe.Add(ref rows, u))),
                    TWidth.Load(ref w, (nuint)(u * TWidth.Lanes)),
                    Broadcast<TVector, TWidth>(ref x, source.Unit(Unsafe.Add(ref rows, u + 1))),
                    TWidth.Load(ref w, (nuint)((u + 1) * TWidth.Lanes)));
            }

            for (; u < units; u++)
            {
                a = TOp.Invoke(a, Broadcast<TVector, TWidth>(ref x, source.Unit(Unsafe.Add(ref rows, u))), TWidth.Load(ref w, (nuint)(u * TWidth.Lanes)));
            }

            output.Store(a, p, co);
        }
    }

    /// <summary>The unit at byte <paramref name="offset"/> from <paramref name="row"/> in every lane: a plane's units need not be aligned.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Broadcast<TVector, TWidth>(ref byte row, int offset)
        where TWidth : ISimdWidth<TVector> => TWidth.Broadcast(Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref row, offset)));
}
