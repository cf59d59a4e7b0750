using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PotNet.Engines.Fast;

/// <summary>
/// <c>acc[p, co] = bias[co] + sum_u dot(columns[p, u], weights[u, co])</c> with vectors over output
/// channels: each position's unit is broadcast against <c>TWidth.Lanes</c> channels' units. Four
/// positions share every weight load; the last positions run one at a time. <c>TColumns</c> says where
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
        for (int co = 0; co < width; co += TWidth.Lanes)
        {
            TVector bias = TWidth.Load(ref MemoryMarshal.GetReference(args.Bias), (nuint)co);
            // The block's weights are contiguous, [units, lanes] (PackedWeights.Index).
            ref int w = ref Unsafe.Add(ref weights, co * units);
            int p = 0;
            for (; p + 4 <= args.Positions; p += 4)
            {
                ref byte x0 = ref Unsafe.Add(ref columns, source.Row(p)), x1 = ref Unsafe.Add(ref columns, source.Row(p + 1));
                ref byte x2 = ref Unsafe.Add(ref columns, source.Row(p + 2)), x3 = ref Unsafe.Add(ref columns, source.Row(p + 3));
                TVector a0 = bias, a1 = bias, a2 = bias, a3 = bias;
                for (int u = 0; u < units; u++)
                {
                    TVector wv = TWidth.Load(ref w, (nuint)(u * TWidth.Lanes));
                    int at = source.Unit(u);
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
                for (int u = 0; u < units; u++)
                {
                    a = TOp.Invoke(a, Broadcast<TVector, TWidth>(ref x, source.Unit(u)), TWidth.Load(ref w, (nuint)(u * TWidth.Lanes)));
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
