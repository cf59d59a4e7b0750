using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PotNet.Engines.Fast;

/// <summary>
/// The portable kernel: <see cref="UnitKind.Single"/> units with <see cref="Vector{T}"/> of int32 over
/// output channels, whatever the hardware's width; four positions share every weight load.
/// </summary>
internal static class GemmVector
{
    public static void Run(in GemmArgs args)
    {
        ref int columns = ref MemoryMarshal.GetReference(args.Columns);
        ref int weights = ref MemoryMarshal.GetReference(args.Weights);
        ref int output = ref MemoryMarshal.GetReference(args.Accumulators);
        int groups = args.Groups, width = args.Width;
        for (int co = 0; co < width; co += Vector<int>.Count)
        {
            Vector<int> bias = Vector.LoadUnsafe(ref MemoryMarshal.GetReference(args.Bias), (nuint)co);
            ref int w = ref Unsafe.Add(ref weights, co);
            int p = 0;
            for (; p + 4 <= args.Positions; p += 4)
            {
                ref int x = ref Unsafe.Add(ref columns, p * groups);
                Vector<int> a0 = bias, a1 = bias, a2 = bias, a3 = bias;
                for (int g = 0; g < groups; g++)
                {
                    Vector<int> wv = Vector.LoadUnsafe(ref w, (nuint)(g * width));
                    a0 += new Vector<int>(Unsafe.Add(ref x, g)) * wv;
                    a1 += new Vector<int>(Unsafe.Add(ref x, groups + g)) * wv;
                    a2 += new Vector<int>(Unsafe.Add(ref x, 2 * groups + g)) * wv;
                    a3 += new Vector<int>(Unsafe.Add(ref x, 3 * groups + g)) * wv;
                }

                a0.StoreUnsafe(ref output, (nuint)(p * width + co));
                a1.StoreUnsafe(ref output, (nuint)((p + 1) * width + co));
                a2.StoreUnsafe(ref output, (nuint)((p + 2) * width + co));
                a3.StoreUnsafe(ref output, (nuint)((p + 3) * width + co));
            }

            for (; p < args.Positions; p++)
            {
                ref int x = ref Unsafe.Add(ref columns, p * groups);
                Vector<int> a = bias;
                for (int g = 0; g < groups; g++)
                {
                    a += new Vector<int>(Unsafe.Add(ref x, g)) * Vector.LoadUnsafe(ref w, (nuint)(g * width));
                }

                a.StoreUnsafe(ref output, (nuint)(p * width + co));
            }
        }
    }
}
