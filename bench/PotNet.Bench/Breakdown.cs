using System.Diagnostics;
using System.Globalization;
using PotNet.Engines;
using PotNet.Engines.Fast;
using PotNet.Model;

namespace PotNet.Bench;

/// <summary>
/// Where FastEngine's time goes (<c>dotnet run -c Release -- --breakdown</c>): the kernel peak (<see cref="KernelPeak"/>)
/// at 1 and 2 threads, each step's time per phase at batch 256 on one thread, and each model's batch-256
/// GMAC/s at 1 and 2 threads as a fraction of the peak. Stopwatch timings, best of several runs; a
/// companion to the BenchmarkDotNet run, not a replacement (the ratios against ONNX Runtime come from there).
/// </summary>
internal static class Breakdown
{
    private const int Runs = 7;
    private const int Slice = 16;
    private const int Slices = 201;
    private static readonly int[] ThreadCounts = [1, 2];

    /// <summary>Prints the breakdown; <paramref name="path"/> forces a FastEngine path (default: the best).</summary>
    public static void Run(TextWriter output, FastPath path = FastPath.Auto)
    {
        byte[] images = BenchModels.Images(EngineBenchmarks.Batch);
        output.WriteLine("Kernel peak (GMAC/s, best of " + Runs + " runs of " + KernelBenchmarks.Iterations + " iterations x " + KernelPeak.Accumulators + " accumulators):");
        output.WriteLine();
        output.WriteLine("| kernel | 1 thread | 2 threads |");
        output.WriteLine("|---|---|---|");
        var peak = new double[3];
        foreach ((string kernel, _, bool supported) in KernelPeak.Kernels.Where(k => k.Supported))
        {
            double[] rates = [.. ThreadCounts.Select(threads => KernelPeak.MultiplyAdds(kernel, KernelBenchmarks.Iterations) * threads / Best(() => KernelPeak.Run(kernel, KernelBenchmarks.Iterations, threads)) / 1e9)];
            output.WriteLine($"| {kernel} | {rates[0]:F1} | {rates[1]:F1} |");
            peak[1] = Math.Max(peak[1], rates[0]);
            peak[2] = Math.Max(peak[2], rates[1]);
        }

        foreach (string name in BenchModels.Names)
        {
            QuantizedModel model = BenchModels.Load(name).Model;
            var engine = new FastEngine(model, new FastEngineOptions { Threads = 1, Path = path });
            output.WriteLine();
            output.WriteLine($"{name} (path {engine.Path}), batch {EngineBenchmarks.Batch}, 1 thread, microseconds per image by phase (medians of {Slices} profiles of {Slice} images):");
            output.WriteLine();
            StepReport(output, engine, images, peak[1]);

            long multiplyAdds = engine.Profile(images.AsSpan(0, model.Input.Size)).Steps.Sum(s => s.MultiplyAdds);
            output.WriteLine();
            output.WriteLine("| threads | images/s | GMAC/s | fraction of peak |");
            output.WriteLine("|---|---|---|---|");
            foreach (int threads in ThreadCounts)
            {
                var batch = new FastEngine(model, new FastEngineOptions { Threads = threads, Path = path });
                var logits = new int[EngineBenchmarks.Batch * model.ClassCount];
                double rate = EngineBenchmarks.Batch / Best(() => batch.InferBatch(images, logits));
                double gmacs = rate * multiplyAdds / 1e9;
                output.WriteLine($"| {threads} | {rate:F0} | {gmacs:F1} | {gmacs / peak[threads]:P1} |");
            }
        }
    }

    /// <summary>
    /// Each step's phases, microseconds per image: the median over <see cref="Slices"/> profiles of
    /// <see cref="Slice"/> images each, so that a preemption by another job (a time slice is worth many
    /// images) lands in few samples and moves no median.
    /// </summary>
    private static void StepReport(TextWriter output, FastEngine engine, byte[] images, double peak)
    {
        StepPhase[] phases = Enum.GetValues<StepPhase>();
        int size = engine.Model.Input.Size;
        WarmUp(() => engine.Profile(images));
        var samples = new List<(FastStep[] Steps, StepTimings Timings)>();
        for (int i = 0; i < Slices; i++)
        {
            int start = i * Slice % (images.Length / size - Slice + 1);
            samples.Add(engine.Profile(images.AsSpan(start * size, Slice * size)));
        }

        FastStep[] steps = samples[0].Steps;
        double Median(FastStep step, StepPhase phase) =>
            samples.Select(s => s.Timings.Elapsed(step.Index, phase).TotalMicroseconds / Slice).Order().ElementAt(Slices / 2);

        output.WriteLine($"| step | MACs | {string.Join(" | ", phases.Select(p => p.ToString().ToLowerInvariant()))} | total | GMAC/s | fraction of peak |");
        output.WriteLine($"|---|---|{string.Concat(phases.Select(_ => "---|"))}---|---|---|");
        var sums = new double[phases.Length];
        foreach (FastStep step in steps)
        {
            double[] us = [.. phases.Select(p => Median(step, p))];
            for (int p = 0; p < phases.Length; p++) sums[p] += us[p];
            double total = us.Sum(), gmacs = step.MultiplyAdds / total / 1e3;
            string rate = step.MultiplyAdds == 0 ? " | " : $"{gmacs:F1} | {gmacs / peak:P1}";
            output.WriteLine($"| {step.Name} | {step.MultiplyAdds} | {string.Join(" | ", us.Select(Format))} | {total:F2} | {rate} |");
        }

        double all = sums.Sum();
        long macs = steps.Sum(s => s.MultiplyAdds);
        output.WriteLine($"| all | {macs} | {string.Join(" | ", sums.Select(Format))} | {all:F2} | {macs / all / 1e3:F1} | {macs / all / 1e3 / peak:P1} |");
    }

    private static string Format(double microseconds) => microseconds.ToString("F2", CultureInfo.InvariantCulture);

    /// <summary>Runs <paramref name="action"/> for a second, so that the JIT has compiled its final tier.</summary>
    private static void WarmUp(Action action)
    {
        long start = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(start).TotalSeconds < 1) action();
    }

    /// <summary>The least time of <see cref="Runs"/> runs after a warm-up, in seconds.</summary>
    private static double Best(Action action)
    {
        WarmUp(action);
        double best = double.MaxValue;
        for (int i = 0; i < Runs; i++)
        {
            long start = Stopwatch.GetTimestamp();
            action();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        return best;
    }
}
