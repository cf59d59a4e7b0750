using BenchmarkDotNet.Attributes;

namespace PotNet.Bench;

/// <summary>
/// The peak of FastEngine's inner multiply-add on this machine (<see cref="KernelPeak"/>) at 1 and 2 threads;
/// one operation is one multiply-add instruction sequence on every thread, so bench/table.jq turns the medians into
/// GMAC/s as threads x multiply-adds per invocation (its table of <see cref="KernelPeak.Kernels"/>) / median.
/// </summary>
public class KernelBenchmarks
{
    /// <summary>Iterations per thread and invocation.</summary>
    public const int Iterations = 1 << 20;

    [ParamsSource(nameof(Kernels))]
    public string Kernel { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    public static IEnumerable<string> Kernels => KernelPeak.Kernels.Where(k => k.Supported).Select(k => k.Name);

    [Benchmark(OperationsPerInvoke = Iterations * KernelPeak.Accumulators)]
    public int Peak() => KernelPeak.Run(Kernel, Iterations, Threads);
}
