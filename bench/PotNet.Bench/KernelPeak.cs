using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using PotNet.Engines.Fast;

namespace PotNet.Bench;

/// <summary>
/// The machine's peak for FastEngine's inner multiply-add: one <see cref="IMulAdd{TVector}"/> chained on
/// <see cref="Accumulators"/> independent accumulators with its operands in registers, so that nothing but the
/// multiply-add's own throughput limits it (no loads, no stores, no loop nest). The engine's GMAC/s are
/// reported as a fraction of this.
/// </summary>
internal static class KernelPeak
{
    /// <summary>Independent accumulators: enough to cover the latency of every kernel at its throughput.</summary>
    public const int Accumulators = 8;

    /// <summary>
    /// The kernels measured: name, and multiply-adds per invocation (lanes times products per unit, times 2 for
    /// the <c>-paired</c> kernels: <see cref="IMulAdd{TVector}.InvokePair"/>, two quads summed in int16).
    /// </summary>
    public static IReadOnlyList<(string Name, int MultiplyAdds, bool Supported)> Kernels { get; } =
    [
        ("avx512-quad", 64, System.Runtime.Intrinsics.X86.Avx512BW.IsSupported),
        ("avx512-quad-paired", 128, System.Runtime.Intrinsics.X86.Avx512BW.IsSupported),
        ("avx512-pair", 32, System.Runtime.Intrinsics.X86.Avx512BW.IsSupported),
        ("avxvnni-quad", 32, System.Runtime.Intrinsics.X86.AvxVnni.IsSupported),
        ("avx2-quad", 32, System.Runtime.Intrinsics.X86.Avx2.IsSupported),
        ("avx2-quad-paired", 64, System.Runtime.Intrinsics.X86.Avx2.IsSupported),
    ];

    /// <summary>Multiply-adds of <see cref="Run"/> on one thread with <paramref name="iterations"/> iterations.</summary>
    public static long MultiplyAdds(string kernel, int iterations) =>
        (long)iterations * Accumulators * Kernels.Single(k => k.Name == kernel).MultiplyAdds;

    /// <summary>Runs <paramref name="kernel"/> on <paramref name="threads"/> threads at once, <paramref name="iterations"/> iterations each.</summary>
    public static int Run(string kernel, int iterations, int threads)
    {
        var sums = new int[threads];
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t => sums[t] = kernel switch
        {
            "avx512-quad" => Chain<Vector512<int>, Width512, Avx512Quad>(iterations, t, paired: false),
            "avx512-quad-paired" => Chain<Vector512<int>, Width512, Avx512Quad>(iterations, t, paired: true),
            "avx512-pair" => Chain<Vector512<int>, Width512, Avx512Pair>(iterations, t, paired: false),
            "avxvnni-quad" => Chain<Vector256<int>, Width256, VnniQuad>(iterations, t, paired: false),
            "avx2-quad" => Chain<Vector256<int>, Width256, Avx2Quad>(iterations, t, paired: false),
            "avx2-quad-paired" => Chain<Vector256<int>, Width256, Avx2Quad>(iterations, t, paired: true),
            _ => throw new ArgumentException($"unknown kernel {kernel}", nameof(kernel)),
        });
        return sums.Sum();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Chain<TVector, TWidth, TOp>(int iterations, int seed, bool paired)
        where TWidth : ISimdWidth<TVector>
        where TOp : IMulAdd<TVector>
    {
        // As the engine's kernel: 4 activation units broadcast from memory each iteration against weight
        // vectors (here 2, held in registers), 8 distinct products, so that the JIT can neither hoist a
        // product out of the loop nor share one between accumulators (paired: 8 distinct pairs of them). Small
        // values: no quad pair saturates, and no paired int16 sum overflows.
        Span<int> data = stackalloc int[64];
        for (int i = 0; i < data.Length; i++) data[i] = 0x01010101 * ((i + seed) % 7 + 1);
        ref int x = ref data[0];
        TVector w0 = TWidth.Broadcast(0x01010101), w1 = TWidth.Broadcast(0x02020202);
        TVector a0 = w0, a1 = w0, a2 = w0, a3 = w0, a4 = w1, a5 = w1, a6 = w1, a7 = w1;
        for (int i = 0; i < iterations; i++)
        {
            nuint at = (nuint)(i & 15) * 4;
            TVector x0 = TWidth.Broadcast(Unsafe.Add(ref x, at)), x1 = TWidth.Broadcast(Unsafe.Add(ref x, at + 1));
            TVector x2 = TWidth.Broadcast(Unsafe.Add(ref x, at + 2)), x3 = TWidth.Broadcast(Unsafe.Add(ref x, at + 3));
            if (paired)
            {
                a0 = TOp.InvokePair(a0, x0, w0, x1, w1);
                a1 = TOp.InvokePair(a1, x1, w0, x2, w1);
                a2 = TOp.InvokePair(a2, x2, w0, x3, w1);
                a3 = TOp.InvokePair(a3, x3, w0, x0, w1);
                a4 = TOp.InvokePair(a4, x0, w1, x1, w0);
                a5 = TOp.InvokePair(a5, x1, w1, x2, w0);
                a6 = TOp.InvokePair(a6, x2, w1, x3, w0);
                a7 = TOp.InvokePair(a7, x3, w1, x0, w0);
            }
            else
            {
                a0 = TOp.Invoke(a0, x0, w0);
                a1 = TOp.Invoke(a1, x1, w0);
                a2 = TOp.Invoke(a2, x2, w0);
                a3 = TOp.Invoke(a3, x3, w0);
                a4 = TOp.Invoke(a4, x0, w1);
                a5 = TOp.Invoke(a5, x1, w1);
                a6 = TOp.Invoke(a6, x2, w1);
                a7 = TOp.Invoke(a7, x3, w1);
            }
        }

        // Every chain's lane 0, so that all eight stay live.
        int lanes = TWidth.Lanes;
        Span<int> all = stackalloc int[Accumulators * lanes];
        ref int first = ref all[0];
        TWidth.Store(a0, ref first, 0);
        TWidth.Store(a1, ref first, (nuint)lanes);
        TWidth.Store(a2, ref first, (nuint)(2 * lanes));
        TWidth.Store(a3, ref first, (nuint)(3 * lanes));
        TWidth.Store(a4, ref first, (nuint)(4 * lanes));
        TWidth.Store(a5, ref first, (nuint)(5 * lanes));
        TWidth.Store(a6, ref first, (nuint)(6 * lanes));
        TWidth.Store(a7, ref first, (nuint)(7 * lanes));
        int sum = 0;
        for (int k = 0; k < Accumulators; k++) sum += all[k * lanes];
        return sum;
    }
}
