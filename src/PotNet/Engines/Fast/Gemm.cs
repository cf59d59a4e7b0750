using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PotNet.Engines.Fast;

/// <summary>
/// <c>acc[p, co] = bias[co] + sum_g dot(columns[p, g], weights[g, co])</c> with vectors over output
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
        int groups = args.Groups, width = args.Width;
        for (int co = 0; co < width; co += TWidth.Lanes)
        {
            TVector bias = TWidth.Load(ref MemoryMarshal.GetReference(args.Bias), (nuint)co);
            ref int w = ref Unsafe.Add(ref weights, co);
            int p = 0;
            for (; p + 4 <= args.Positions; p += 4)
            {
                ref int x = ref Unsafe.Add(ref columns, p * groups);
                TVector a0 = bias, a1 = bias, a2 = bias, a3 = bias;
                for (int g = 0; g < groups; g++)
                {
                    TVector wv = TWidth.Load(ref w, (nuint)(g * width));
                    a0 = TOp.Invoke(a0, TWidth.Broadcast(Unsafe.Add(ref x, g)), wv);
                    a1 = TOp.Invoke(a1, TWidth.Broadcast(Unsafe.Add(ref x, groups + g)), wv);
                    a2 = TOp.Invoke(a2, TWidth.Broadcast(Unsafe.Add(ref x, 2 * groups + g)), wv);
                    a3 = TOp.Invoke(a3, TWidth.Broadcast(Unsafe.Add(ref x, 3 * groups + g)), wv);
                }

                TWidth.Store(a0, ref output, (nuint)(p * width + co));
                TWidth.Store(a1, ref output, (nuint)((p + 1) * width + co));
                TWidth.Store(a2, ref output, (nuint)((p + 2) * width + co));
                TWidth.Store(a3, ref output, (nuint)((p + 3) * width + co));
            }

            for (; p < args.Positions; p++)
            {
                ref int x = ref Unsafe.Add(ref columns, p * groups);
                TVector a = bias;
                for (int g = 0; g < groups; g++)
                {
                    a = TOp.Invoke(a, TWidth.Broadcast(Unsafe.Add(ref x, g)), TWidth.Load(ref w, (nuint)(g * width)));
                }

                TWidth.Store(a, ref output, (nuint)(p * width + co));
            }
        }
    }
}
