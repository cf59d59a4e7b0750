using PotNet.Float;
using PotNet.Model;

namespace PotNet.Onnx;

/// <summary>A layer of the network being imported, before the model is assembled.</summary>
internal abstract class LayerDraft
{
    public abstract Layer Build();
}

/// <summary>A fixed layer: pooling or flatten.</summary>
internal sealed class FixedDraft(Layer layer) : LayerDraft
{
    public Layer Layer { get; } = layer;

    public override Layer Build() => Layer;
}

/// <summary>
/// A convolution or dense layer whose weights and bias can still change: a following Add becomes
/// its bias, a BatchNormalization folds into it, a Relu sets its flag, and the input normalisation
/// folds into the first one. Weights are [out, FanIn] in double precision.
/// </summary>
internal sealed class ComputeDraft(string name, ConvGeometry geometry, bool dense, double[] weights, double[] bias) : LayerDraft
{
    public string Name { get; } = name;

    public ConvGeometry Geometry { get; } = geometry;

    public bool Dense { get; } = dense;

    public double[] Weights { get; } = weights;

    public double[] Bias { get; } = bias;

    public bool Relu { get; set; }

    /// <summary>Adds <paramref name="values"/> (one per output channel) to the bias.</summary>
    public void AddBias(double[] values)
    {
        for (int c = 0; c < Bias.Length; c++) Bias[c] += values[c];
    }

    /// <summary>Folds <c>y = (x - mean) * scale / sqrt(var + eps) + shift</c> per output channel.</summary>
    public void FoldBatchNorm(double[] scale, double[] shift, double[] mean, double[] variance, double epsilon)
    {
        int fanIn = Geometry.FanIn;
        for (int c = 0; c < Bias.Length; c++)
        {
            double factor = scale[c] / Math.Sqrt(variance[c] + epsilon);
            for (int k = 0; k < fanIn; k++) Weights[c * fanIn + k] *= factor;
            Bias[c] = (Bias[c] - mean[c]) * factor + shift[c];
        }
    }

    /// <summary>
    /// Folds an affine map of the inputs, <c>x' = a[i] * x + b[i]</c> per input element of one position
    /// (channel-major, as the weights' FanIn), into the weights and bias.
    /// </summary>
    public void FoldInputAffine(Func<int, (double A, double B)> ofFanInIndex)
    {
        int fanIn = Geometry.FanIn;
        for (int c = 0; c < Bias.Length; c++)
        {
            for (int k = 0; k < fanIn; k++)
            {
                (double a, double b) = ofFanInIndex(k);
                Bias[c] += Weights[c * fanIn + k] * b;
                Weights[c * fanIn + k] *= a;
            }
        }
    }

    public override Layer Build()
    {
        float[] weights = Array.ConvertAll(Weights, w => (float)w), bias = Array.ConvertAll(Bias, b => (float)b);
        if (weights.Concat(bias).Any(v => !float.IsFinite(v))) throw new PotNetException($"layer '{Name}': weights or bias are not finite numbers");
        return new FloatComputeLayer(Name, Geometry, weights, bias, Relu, Dense);
    }
}
