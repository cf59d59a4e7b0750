using PotNet.Model;

namespace PotNet.Tests.Engines;

/// <summary>
/// A second, independent statement of the integer semantics in double precision, written from
/// DESIGN.md rather than from the engine: direct index arithmetic instead of gather tables, and
/// division and floor instead of shifts. Every value stays below 2^53, so doubles are exact.
/// </summary>
internal static class ExactEmulation
{
    public static double[] Infer(QuantizedModel model, byte[] image)
    {
        var outputs = new List<(double[] X, int F)>();
        (double[] X, int F) Read(int source) => source < 0 ? ([.. image.Select(b => (double)b)], model.InputExponent) : outputs[source];
        foreach (LayerPlan step in model.Plan)
        {
            (double[] x, int f) = Read(step.Sources[0]);
            double[] y = step.Layer switch
            {
                ComputeLayer c => Compute(c, step, x, f, c.Residual is null ? null : Read(step.Sources[^1])),
                MaxPool2d p => Pool(p, step, x, w => w.Max()),
                AvgPool2d p => Pool(p, step, x, w => Math.Floor(w.Sum() / (p.Kernel * p.Kernel) + 0.5)),
                ResidualAdd a => Add(x, f, Read(step.Sources[1]), a.OutputExponent!.Value),
                Flatten => x,
                Layer other => throw new NotSupportedException(other.TypeName),
            };
            outputs.Add((y, step.OutputExponent ?? f));
        }

        return outputs[^1].X;
    }

    /// <summary>The real sum <c>a 2^-fa + b 2^-fb</c> rounded half up to the output grid and clamped.</summary>
    private static double[] Add(double[] a, int fa, (double[] X, int F) b, int fOut) =>
        [.. a.Select((v, i) => Math.Clamp(Math.Floor((v * Math.Pow(2, -fa) + b.X[i] * Math.Pow(2, -b.F)) * Math.Pow(2, fOut) + 0.5), 0, 255))];

    /// <summary>
    /// A weighted layer; a residual source <c>x * 2^-e_x</c> is added to the real accumulator
    /// <c>acc * 2^-(f_in + g)</c> before the rounding (in accumulator units: times <c>2^(f_in + g - e_x)</c>).
    /// </summary>
    private static double[] Compute(ComputeLayer layer, LayerPlan step, double[] x, int fIn, (double[] X, int F)? residual)
    {
        ConvGeometry g = layer.Geometry;
        Shape i = step.Input, o = step.Output;
        double[] w = layer.Weights.Levels().Select(l => (double)l).ToArray();
        var y = new double[o.Size];
        for (int co = 0; co < o.Channels; co++)
        for (int oy = 0; oy < o.Height; oy++)
        for (int ox = 0; ox < o.Width; ox++)
        {
            // Output channel co of a grouped convolution reads the input channels of its group only:
            // the slice [group * in/groups, (group + 1) * in/groups), weight index ci within it.
            int perGroup = i.Channels / g.Groups, group = co / (o.Channels / g.Groups);
            double acc = layer.Bias[co];
            for (int ci = 0; ci < perGroup; ci++)
            for (int ky = 0; ky < g.KernelHeight; ky++)
            for (int kx = 0; kx < g.KernelWidth; kx++)
            {
                int channel = group * perGroup + ci;
                int iy = oy * g.Stride - g.Padding + ky, ix = ox * g.Stride - g.Padding + kx;
                double input = iy < 0 || ix < 0 || iy >= i.Height || ix >= i.Width ? (layer.PaddingValues.IsEmpty ? 0 : layer.PaddingValues[channel]) : x[(channel * i.Height + iy) * i.Width + ix];
                acc += w[((co * perGroup + ci) * g.KernelHeight + ky) * g.KernelWidth + kx] * input;
            }

            if (residual is (double[] source, int fSource))
            {
                acc += source[(co * o.Height + oy) * o.Width + ox] * Math.Pow(2, fIn + layer.Weights.ScaleExponent(co) - fSource);
            }

            if (layer.OutputExponent is int fOut)
            {
                int r = fIn + layer.Weights.ScaleExponent(co) - fOut;
                acc = Math.Clamp(Math.Floor(acc / Math.Pow(2, r) + 0.5), 0, 255);
            }

            y[(co * o.Height + oy) * o.Width + ox] = acc;
        }

        return y;
    }

    private static double[] Pool(Pool2d pool, LayerPlan step, double[] x, Func<List<double>, double> reduce)
    {
        Shape i = step.Input, o = step.Output;
        var y = new double[o.Size];
        for (int c = 0; c < o.Channels; c++)
        for (int oy = 0; oy < o.Height; oy++)
        for (int ox = 0; ox < o.Width; ox++)
        {
            var window = new List<double>();
            for (int ky = 0; ky < pool.Kernel; ky++)
            for (int kx = 0; kx < pool.Kernel; kx++)
                window.Add(x[(c * i.Height + oy * pool.Stride + ky) * i.Width + ox * pool.Stride + kx]);
            y[(c * o.Height + oy) * o.Width + ox] = reduce(window);
        }

        return y;
    }
}
