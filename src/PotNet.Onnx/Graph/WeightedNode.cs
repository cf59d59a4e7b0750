using PotNet.Model;

namespace PotNet.Onnx.Graph;

/// <summary>
/// A convolution or dense layer (Conv, Gemm, MatMul) with its weights still in double precision, so
/// that passes can fold biases, batch norms, ReLUs and the input normalisation into it. Weights are
/// [OutChannels, FanIn], FanIn in the input's element order (channel-major).
/// </summary>
internal sealed class WeightedNode(
    string opType, string name, string input, string output, long[] dims, string weightName, ConvGeometry geometry, bool dense, long[] inputDims, double[] weights, double[] bias)
    : IrNode(opType, name, [input], output, dims)
{
    /// <summary>The weight initializer's name (<c>conv1.weight</c>), which names the layer.</summary>
    public string WeightName { get; } = weightName;

    /// <summary>Channels, kernel, stride, padding and groups (a dense layer: 1x1 over a vector); <see cref="Passes.FoldPad"/> widens the padding.</summary>
    public ConvGeometry Geometry { get; set; } = geometry;

    /// <summary>True for Gemm and MatMul.</summary>
    public bool Dense { get; } = dense;

    /// <summary>The input's dimensions the operator reads: [C, H, W] for a convolution, [features] for a dense layer (a folded Pad's input's).</summary>
    public long[] InputDims { get; set; } = inputDims;

    /// <summary>Weights, [OutChannels, FanIn] (FanIn = in / groups x kh x kw for a convolution).</summary>
    public double[] Weights { get; } = weights;

    /// <summary>Bias per output channel.</summary>
    public double[] Bias { get; } = bias;

    /// <summary>The name of the view that flattened a dense layer's input, which names the flatten layer; null when none did.</summary>
    public string? FlattenName { get; set; }

    /// <summary>The real value a convolution's padded border reads per input channel; null for 0.</summary>
    public double[]? PaddingValues { get; set; }

    /// <summary>
    /// The value added into the accumulator before the ReLU (<see cref="Passes.FuseResidual"/>): the node's
    /// second input, so that passes that rewire values rewire it too; null for none.
    /// </summary>
    public string? Residual => Inputs.Count > 1 ? Inputs[1] : null;

    /// <summary>Whether a ReLU follows (fused by <see cref="Passes.FuseRelu"/>).</summary>
    public bool Relu { get; set; }

    /// <summary>The layer before this one's name in messages: from the weight, else the node.</summary>
    public string LayerName => LayerNames.Suggest(WeightName, Name);

    /// <summary>Folds <c>y' = a[c] * y + b[c]</c> per output channel into the weights and bias.</summary>
    public void ScaleOutputs(double[] a, double[] b)
    {
        int fanIn = Geometry.FanIn;
        for (int c = 0; c < Bias.Length; c++)
        {
            for (int k = 0; k < fanIn; k++) Weights[c * fanIn + k] *= a[c];
            Bias[c] = Bias[c] * a[c] + b[c];
        }
    }

    /// <summary>
    /// Folds an affine map of the inputs, <c>x' = a * x + b</c>, given per group and element of the
    /// weights' FanIn (channel-major over one position; a grouped convolution's group reads its own
    /// channels), into the weights and bias.
    /// </summary>
    public void FoldInputAffine(Func<int, int, (double A, double B)> ofGroupAndFanInIndex)
    {
        int fanIn = Geometry.FanIn;
        for (int c = 0; c < Bias.Length; c++)
        {
            int group = Geometry.GroupOf(c);
            for (int k = 0; k < fanIn; k++)
            {
                (double a, double b) = ofGroupAndFanInIndex(group, k);
                Bias[c] += Weights[c * fanIn + k] * b;
                Weights[c * fanIn + k] *= a;
            }
        }
    }
}
