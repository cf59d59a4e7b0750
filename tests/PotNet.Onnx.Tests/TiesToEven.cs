using PotNet.Model;

namespace PotNet.Onnx.Tests;

/// <summary>
/// PotNet's integer semantics with one change: every rounding step (requantisation and average
/// pooling) rounds half to even, as ONNX's QuantizeLinear and ONNX Runtime's integer kernels do.
/// If the QDQ export equals this exactly, ties are the only reason it differs from PotNet.
/// </summary>
internal static class TiesToEven
{
    public static long[] Infer(QuantizedModel model, byte[] image)
    {
        var outputs = new List<long[]>();
        long[] Read(int source) => source < 0 ? [.. image.Select(b => (long)b)] : outputs[source];
        foreach (LayerPlan step in model.Plan)
        {
            long[] x = Read(step.Sources[0]);
            outputs.Add(step.Layer switch
            {
                ComputeLayer c => Compute(c, step, x, c.Residual is null ? null : Read(step.Sources[^1])),
                Pool2d p => Pool(p, step, x),
                ResidualAdd => Add(step, x, Read(step.Sources[1])),
                Flatten => x,
                Layer other => throw new NotSupportedException(other.TypeName),
            });
        }

        return outputs[^1];
    }

    private static long[] Add(LayerPlan step, long[] a, long[] b) =>
        [.. a.Select((v, i) => Round((v << step.AlignShift(0)) + (b[i] << step.AlignShift(1)), step.RequantizeShift(0)))];

    /// <summary>A weighted layer; a residual source is added, shifted to the accumulator's scale, before the rounding.</summary>
    private static long[] Compute(ComputeLayer layer, LayerPlan step, long[] x, long[]? residual)
    {
        int[] gather = layer.Geometry.Gather(step.Input, step.Output), w = layer.DecodeWeights();
        int fanIn = layer.Geometry.FanIn, positions = step.Output.Height * step.Output.Width;
        var y = new long[step.Output.Size];
        for (int co = 0; co < layer.Geometry.OutChannels; co++)
        {
            int group = layer.Geometry.GroupOf(co);
            for (int p = 0; p < positions; p++)
            {
                long acc = layer.Bias[co];
                for (int k = 0; k < fanIn; k++)
                {
                    int i = gather[(group * positions + p) * fanIn + k];
                    acc += w[co * fanIn + k] * (i >= 0 ? x[i] : layer.PaddingValue(group, k));
                }

                if (residual is not null) acc += residual[co * positions + p] << step.ResidualShift(co);
                y[co * positions + p] = step.OutputExponent is null ? acc : Round(acc, step.RequantizeShift(co));
            }
        }

        return y;
    }

    private static long[] Pool(Pool2d pool, LayerPlan step, long[] x)
    {
        int[] windows = pool.Windows(step.Input, step.Output);
        int size = pool.Kernel * pool.Kernel;
        var y = new long[step.Output.Size];
        for (int o = 0; o < y.Length; o++)
        {
            var window = Enumerable.Range(0, size).Select(k => x[windows[o * size + k]]).ToArray();
            y[o] = pool is AvgPool2d average ? Round(window.Sum(), average.Shift) : window.Max();
        }

        return y;
    }

    private static long Round(long value, int shift) =>
        (long)Math.Clamp(Math.Round(Math.ScaleB(value, -shift), MidpointRounding.ToEven), 0, byte.MaxValue);
}
