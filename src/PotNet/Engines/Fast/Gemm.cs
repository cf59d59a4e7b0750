using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PotNet.Engines.Fast;

/// <summary>
/// <c>acc[p, co] = bias[co] + sum_u dot(columns[p, u], weights[u, co])</c> with vectors over output
/// channels: each position's unit is broadcast against <c>TWidth.Lanes</c> channels' units. Four
/// positions share every weight load; the last positions run one at a time. Each finished vector goes to
/// <c>TOutput</c>: the int32 sums, or requantised u8 (the epilogue).
/// </summary>
/// <remarks>
/// One loop nest for every width and unit kind: the type arguments are structs, so the JIT compiles
/// a copy per combination in which the width's and the operation's static calls are inlined, the
/// code dotnet/runtime's System.Numerics.Tensors gets from its operator structs.
/// </remarks>
internal static class Gemm
{
    public static void Run<TVector, TWidth, TOp, TOutput>(in GemmArgs args, TOutput output)
        where TWidth : ISimdWidth<TVector>
        where TOp : IMulAdd<TVector>
        where TOutput : IGemmOutput<TVector>, allows ref struct
    {
        ref int columns = ref MemoryMarshal.GetReference(args.Columns);
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
                ref int x = ref Unsafe.Add(ref columns, p * units);
                TVector a0 = bias, a1 = bias, a2 = bias, a3 = bias;
                for (int u = 0; u < units; u++)
                {
                    TVector wv = TWidth.Load(ref w, (nuint)(u * TWidth.Lanes));
                    a0 = TOp.Invoke(a0, TWidth.Broadcast(Unsafe.Add(ref x, u)), wv);
                    a1 = TOp.Invoke(a1, TWidth.Broadcast(Unsafe.Add(ref x, units + u)), wv);
                    a2 = TOp.Invoke(a2, TWidth.Broadcast(Unsafe.Add(ref x, 2 * units + u)), wv);
                    a3 = TOp.Invoke(a3, TWidth.Broadcast(Unsafe.Add(ref x, 3 * units + u)), wv);
                }

                output.Store(a0, p, co);
                output.Store(a1, p + 1, co);
                output.Store(a2, p + 2, co);
                output.Store(a3, p + 3, co);
            }

            for (; p < args.Positions; p++)
            {
                ref int x = ref Unsafe.Add(ref columns, p * units);
                TVector a = bias;
                for (int u = 0; u < units; u++)
                {
                    a = TOp.Invoke(a, TWidth.Broadcast(Unsafe.Add(ref x, u)), TWidth.Load(ref w, (nuint)(u * TWidth.Lanes)));
                }

                output.Store(a, p, co);
            }
        }
    }
}
