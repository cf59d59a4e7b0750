using PotNet.Model;

namespace PotNet.Float;

/// <summary>
/// Runs a <see cref="FloatModel"/> in double precision: the float network that post-training
/// quantisation calibrates on. Input bytes become <c>pixel / 256</c>, as in training.
/// </summary>
public sealed class FloatEngine
{
    private readonly FloatModel _model;
    private readonly int[]?[] _gather;

    /// <summary>Prepares the engine: works out each layer's index table once.</summary>
    public FloatEngine(FloatModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _gather = model.Layers.Select((layer, i) => layer switch
        {
            FloatComputeLayer c => c.Geometry.Gather(model.InputShape(i), model.Shapes[i + 1]),
            Pool2d pool => pool.Windows(model.InputShape(i), model.Shapes[i + 1]),
            _ => null,
        }).ToArray();
    }

    /// <summary>Runs one u8 image and returns the last layer's output.</summary>
    public double[] Infer(ReadOnlySpan<byte> image) => Outputs(image)[^1];

    /// <summary>Runs one u8 image and returns every layer's output, in layer order.</summary>
    public double[][] Outputs(ReadOnlySpan<byte> image)
    {
        double[] input = Normalize(image);
        var outputs = new double[_model.Layers.Count][];
        double[] Read(int source) => source < 0 ? input : outputs[source];
        for (int i = 0; i < _model.Layers.Count; i++)
        {
            double[] x = Read(_model.Sources[i][0]);
            outputs[i] = _model.Layers[i] switch
            {
                FloatComputeLayer compute => Compute(compute, _gather[i]!, _model.Shapes[i + 1], x, compute.Residual is null ? null : Read(_model.Sources[i][^1])),
                Pool2d pool => Pool(pool, _gather[i]!, _model.Shapes[i + 1], x),
                Flatten => x,
                ResidualAdd => Add(x, Read(_model.Sources[i][1])),
                Layer other => throw new NotSupportedException($"layer type {other.TypeName}"),
            };
        }

        return outputs;
    }

    /// <summary>The residual add with its ReLU (a no-op on two ReLU outputs, kept as the definition).</summary>
    private static double[] Add(double[] a, double[] b)
    {
        var y = new double[a.Length];
        for (int i = 0; i < y.Length; i++) y[i] = Math.Max(a[i] + b[i], 0);
        return y;
    }

    /// <summary>Pixel bytes as real inputs, <c>pixel / 256</c>, exactly as the integer models read them (f = 8).</summary>
    public static double[] Normalize(ReadOnlySpan<byte> image)
    {
        var x = new double[image.Length];
        for (int i = 0; i < image.Length; i++) x[i] = Math.ScaleB(image[i], -Exponents.Input);
        return x;
    }

    /// <summary>The layer's outputs, <c>relu(conv(x) + residual)</c> with a residual source (added before the ReLU), else <c>relu(conv(x))</c> or the logits.</summary>
    private static double[] Compute(FloatComputeLayer layer, int[] gather, Shape outShape, double[] x, double[]? residual)
    {
        ReadOnlySpan<float> w = layer.Weights;
        int fanIn = layer.Geometry.FanIn, positions = outShape.Height * outShape.Width;
        var y = new double[outShape.Size];
        for (int co = 0; co < layer.Geometry.OutChannels; co++)
        {
            int group = layer.Geometry.GroupOf(co);
            for (int p = 0; p < positions; p++)
            {
                double acc = layer.Bias[co];
                for (int k = 0; k < fanIn; k++)
                {
                    int i = gather[(group * positions + p) * fanIn + k];
                    acc += w[co * fanIn + k] * (i >= 0 ? x[i] : layer.PaddingValue(group, k));
                }

                if (residual is not null) acc += residual[co * positions + p];
                y[co * positions + p] = layer.Relu ? Math.Max(acc, 0) : acc;
            }
        }

        return y;
    }

    private static double[] Pool(Pool2d pool, int[] windows, Shape outShape, double[] x)
    {
        int size = pool.Kernel * pool.Kernel;
        var y = new double[outShape.Size];
        for (int o = 0; o < y.Length; o++)
        {
            double total = 0, max = double.NegativeInfinity;
            for (int k = 0; k < size; k++)
            {
                double v = x[windows[o * size + k]];
                total += v;
                max = Math.Max(max, v);
            }

            y[o] = pool is AvgPool2d ? total / size : max;
        }

        return y;
    }
}
