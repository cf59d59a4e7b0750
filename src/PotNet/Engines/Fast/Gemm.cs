using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PotNet.Engines.Fast;

/// <summary>
/// <c>acc[p, co] = bias[co] + sum_u dot(columns[p, u], weights[u, co])</c> with vectors over output
/// channels: each position's unit is broadcast against <c>TWidth.Lanes</c> channels' units. Four
/// positions share every weight load; the last positions run one at a time.
/// </summary>
/// <remarks>
/// One loop nest for every width and unit kind: the type arguments are structs, so the JIT compiles
/// a copy per combination in which the width's and the operation's static calls are inlined, the
/// code dotnet/runtime's System.Numerics.Tensors gets from its operator structs.
/// </remarks>
internal static class Gemm
{
    public static void Run<TVector, TWidth, TOp>(in GemmArgs args)
        where TWidth : ISimdWidth<TVector>
        where TOp : IMulAdd<TVector>
    {
        ref int columns = ref MemoryMarshal.GetReference(args.Columns);
        ref int weights = ref MemoryMarshal.GetReference(args.Weights);
        ref int output = ref MemoryMarshal.GetReference(args.Accumulators);
        int units = args.Units, width = args.Width, stride = args.Stride;
        for (int co = 0; co < width; co += TWidth.Lanes)
        {
            TVector bias = TWidth.Load(ref MemoryMarshal.GetReference(args.Bias), (nuint)co);
            ref int w = ref Unsafe.Add(ref weights, co);
            int p = 0;
            for (; p + 4 <= args.Positions; p += 4)
            {
                ref int x = ref Unsafe.Add(ref columns, p * units);
                TVector a0 = bias, a1 = bias, a2 = bias, a3 = bias;
                for (int u = 0; u < units; u++)
                {
                    TVector wv = TWidth.Load(ref w, (nuint)(u * width));
                    a0 = TOp.Invoke(a0, TWidth.Broadcast(Unsafe.Add(ref x, u)), wv);
                    a1 = TOp.Invoke(a1, TWidth.Broadcast(Unsafe.Add(ref x, units + u)), wv);
                    a2 = TOp.Invoke(a2, TWidth.Broadcast(Unsafe.Add(ref x, 2 * units + u)), wv);
                    a3 = TOp.Invoke(a3, TWidth.Broadcast(Unsafe.Add(ref x, 3 * units + u)), wv);
                }

                TWidth.Store(a0, ref output, (nuint)(p * stride + co));
                TWidth.Store(a1, ref output, (nuint)((p + 1) * stride + co));
                TWidth.Store(a2, ref output, (nuint)((p + 2) * stride + co));
                TWidth.Store(a3, ref output, (nuint)((p + 3) * stride + co));
            }

            for (; p < args.Positions; p++)
            {
                ref int x = ref Unsafe.Add(ref columns, p * units);
                TVector a = bias;
                for (int u = 0; u < units; u++)
                {
                    a = TOp.Invoke(a, TWidth.Broadcast(Unsafe.Add(ref x, u)), TWidth.Load(ref w, (nuint)(u * width)));
                }

                TWidth.Store(a, ref output, (nuint)(p * stride + co));
            }
        }
    }
}
