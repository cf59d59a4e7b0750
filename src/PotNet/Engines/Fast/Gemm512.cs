using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PotNet.Engines.Fast;

/// <summary>
/// <c>acc[p, co] = bias[co] + sum_g dot(columns[p, g], weights[g, co])</c> with 512-bit vectors over
/// output channels: each position's unit is broadcast against 16 channels' units. Four positions
/// share every weight load; the last positions run one at a time.
/// </summary>
internal static class Gemm512
{
    private const int Lanes = 16;

    public static void Run<TOp>(in GemmArgs args)
        where TOp : IMulAdd512
    {
        ref int columns = ref MemoryMarshal.GetReference(args.Columns);
        ref int weights = ref MemoryMarshal.GetReference(args.Weights);
        ref int output = ref MemoryMarshal.GetReference(args.Accumulators);
        int groups = args.Groups, width = args.Width;
        for (int co = 0; co < width; co += Lanes)
        {
            Vector512<int> bias = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(args.Bias), (nuint)co);
            ref int w = ref Unsafe.Add(ref weights, co);
            int p = 0;
            for (; p + 4 <= args.Positions; p += 4)
            {
                ref int x = ref Unsafe.Add(ref columns, p * groups);
                Vector512<int> a0 = bias, a1 = bias, a2 = bias, a3 = bias;
                for (int g = 0; g < groups; g++)
                {
                    Vector512<int> wv = Vector512.LoadUnsafe(ref w, (nuint)(g * width));
                    a0 = TOp.Invoke(a0, Vector512.Create(Unsafe.Add(ref x, g)), wv);
                    a1 = TOp.Invoke(a1, Vector512.Create(Unsafe.Add(ref x, groups + g)), wv);
                    a2 = TOp.Invoke(a2, Vector512.Create(Unsafe.Add(ref x, 2 * groups + g)), wv);
                    a3 = TOp.Invoke(a3, Vector512.Create(Unsafe.Add(ref x, 3 * groups + g)), wv);
                }

                a0.StoreUnsafe(ref output, (nuint)(p * width + co));
                a1.StoreUnsafe(ref output, (nuint)((p + 1) * width + co));
                a2.StoreUnsafe(ref output, (nuint)((p + 2) * width + co));
                a3.StoreUnsafe(ref output, (nuint)((p + 3) * width + co));
            }

            for (; p < args.Positions; p++)
            {
                ref int x = ref Unsafe.Add(ref columns, p * groups);
                Vector512<int> a = bias;
                for (int g = 0; g < groups; g++)
                {
                    a = TOp.Invoke(a, Vector512.Create(Unsafe.Add(ref x, g)), Vector512.LoadUnsafe(ref w, (nuint)(g * width)));
                }

                a.StoreUnsafe(ref output, (nuint)(p * width + co));
            }
        }
    }
}
