using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PotNet.Engines.Fast;

/// <summary>
/// <c>acc[p, co] = bias[co] + sum_u dot(columns[p, u], weights[u, co])</c> with vectors over output
/// channels: each position's unit is broadcast against <c>TWidth.Lanes</c> channels' units. Four
/// positions share every weight load; the last positions run one at a time. The units of each block of
/// channels come in the order its packing chose, its int16 pairs first (<see cref="UnitPairing"/>, the
/// multiply-add's <c>InvokePair</c>). <c>TColumns</c> says where
/// each unit is: in an im2col table, or in a padded input plane. Each finished vector goes to
/// <c>TOutput</c>: the int32 sums, or requantised u8 (the epilogue).
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
        ref byte columns = ref Unsafe.As<int, byte>(ref MemoryMarshal.GetReference(args.Columns));
        ref int weights = ref MemoryMarshal.GetReference(args.Weights);
        int units = args.Units, width = args.Width;
        for (int co = 0, block = 0; co < width; co += TWidth.Lanes, block++)
        {
            TVector bias = TWidth.Load(ref MemoryMarshal.GetReference(args.Bias), (nuint)co);
            // The block's weights are contiguous, [units, lanes] (PackedWeights.Index), its rows in the order
            // of rows, the first paired of them summed two at a time.
            ref int w = ref Unsafe.Add(ref weights, co * units);
            ref int rows = ref Unsafe.Add(ref MemoryMarshal.GetReference(args.RowUnits), block * units);
            int paired = args.PairedRows[block];
            int p = 0;
            for (; p + 4 <= args.Positions; p += 4)
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

                output.Store(a0, p, co);
                output.Store(a1, p + 1, co);
                output.Store(a2, p + 2, co);
                output.Store(a3, p + 3, co);
            }

            for (; p < args.Positions; p++)
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
    }

    /// <summary>The unit at byte <paramref name="offset"/> from <paramref name="row"/> in every lane: a plane's units need not be aligned.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TVector Broadcast<TVector, TWidth>(ref byte row, int offset)
        where TWidth : ISimdWidth<TVector> => TWidth.Broadcast(Unsafe.ReadUnaligned<int>(ref Unsafe.Add(ref row, offset)));
}
