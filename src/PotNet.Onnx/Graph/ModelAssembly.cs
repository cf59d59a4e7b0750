using PotNet.Float;
using PotNet.Model;

namespace PotNet.Onnx.Graph;

/// <summary>
/// The last step: the graph, once the passes have run, as a sequential <see cref="FloatModel"/>.
/// What the passes could not fold or fuse is refused here, naming the node.
/// </summary>
internal static class ModelAssembly
{
    public static FloatModel Build(IrGraph graph)
    {
        var names = new LayerNames();
        var layers = new List<Layer>();
        Shape input = ShapeOf(graph.InputDims), current = input;
        string value = graph.Input;
        void Add(Layer layer)
        {
            layers.Add(layer);
            current = layer.OutputShape(current);
        }

        // The shape a convolution or pool reads. Before the first layer it may be a view of the input
        // (an [N, 784] input reshaped to [N, 1, 28, 28]), which then becomes the model's input shape;
        // after one, a view of an image as a vector [N, C*H*W, 1, 1] is a flatten.
        void Reads(IrNode node, Shape wanted)
        {
            if (wanted == current) return;
            if (layers.Count == 0 && wanted.Size == input.Size)
            {
                input = current = wanted;
                return;
            }

            if (wanted == new Shape(current.Size, 1, 1))
            {
                Add(new Flatten(names.Unique(node.Name + "_flatten", "flatten")));
                return;
            }

            throw node.Fail($"it reads {wanted} where the layer before it gives {current}; PotNet cannot reshape a vector or an image into another image");
        }

        foreach (IrNode node in graph.Nodes)
        {
            if (node.Inputs.Count != 1 || node.Inputs[0] != value)
            {
                throw node.Fail($"it reads '{node.Inputs.First(i => i != value)}', an earlier activation: the graph branches, and PotNet imports sequential networks");
            }

            switch (node)
            {
                case WeightedNode { Dense: true } dense:
                    if (current.Height != 1 || current.Width != 1) Add(new Flatten(names.Unique(dense.FlattenName ?? "", "flatten")));
                    Add(Layer(dense, names));
                    break;
                case WeightedNode conv:
                    Reads(conv, ShapeOf(conv.InputDims));
                    Add(Layer(conv, names));
                    break;
                case PoolNode pool:
                    Reads(pool, ShapeOf(pool.InputDims));
                    string name = names.Unique(pool.Name, pool.OpType.ToLowerInvariant());
                    Add(pool.Average ? new AvgPool2d(name, pool.Kernel, pool.Stride) : new MaxPool2d(name, pool.Kernel, pool.Stride));
                    break;
                case AffineNode affine:
                    throw affine.Fail("this per-element scale and shift folds into neither the weighted layer before it (there is none, or a ReLU or another operator comes between, or it varies within a channel) nor the one after it (there is none, or a non-linearity comes between, or it varies within a convolution's input channel)");
                case ReluNode relu:
                    throw relu.Fail("this Relu cannot move into a weighted layer: it follows an average pool or another operator that does not commute with it, and its input can be negative");
                case SoftmaxNode softmax:
                    throw softmax.Fail($"{softmax.OpType} is dropped only as the last operator (the argmax does not change), and here others follow it");
                case PermuteNode permute:
                    throw permute.Fail($"it reorders the elements of {IrNode.Text(graph.DimsOf(permute.Inputs[0]))} (to {IrNode.Text(permute.Dims)}); PotNet folds such a Transpose only into a dense layer right after it (as tf2onnx writes before a flatten)");
                case ViewNode or PassThroughNode:
                    throw node.Fail("left in the graph by the passes (a bug)");
            }

            value = node.Output;
        }

        if (graph.Output != value) throw new PotNetException($"output '{graph.Output}' is not the end of the chain of layers from the input (which ends at '{value}')");
        if (!layers.OfType<FloatComputeLayer>().Any()) throw new PotNetException("the graph has no Conv, Gemm or MatMul: nothing to quantise");
        return new FloatModel(input, layers);
    }

    private static FloatComputeLayer Layer(WeightedNode node, LayerNames names)
    {
        float[] weights = Array.ConvertAll(node.Weights, w => (float)w), bias = Array.ConvertAll(node.Bias, b => (float)b);
        string name = names.Unique(node.WeightName, node.Name);
        if (weights.Concat(bias).Any(v => !float.IsFinite(v))) throw new PotNetException($"layer '{name}': weights or bias are not finite numbers");
        return new FloatComputeLayer(name, node.Geometry, weights, bias, node.Relu, node.Dense, node.PaddingValues);
    }

    /// <summary>PotNet's CHW shape of dimensions without the batch: [F] is (F, 1, 1), [H, W] is (1, H, W).</summary>
    public static Shape ShapeOf(long[] dims) => dims.Length switch
    {
        0 => new Shape(1, 1, 1),
        1 => new Shape((int)dims[0], 1, 1),
        2 => new Shape(1, (int)dims[0], (int)dims[1]),
        3 => new Shape((int)dims[0], (int)dims[1], (int)dims[2]),
        _ => throw new PotNetException($"an activation of rank {dims.Length + 1} ({IrNode.Text(dims)}) is not supported"),
    };
}
