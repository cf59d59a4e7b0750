using PotNet.Float;
using PotNet.Model;

namespace PotNet.Onnx.Graph;

/// <summary>
/// The last step: the graph, once the passes have run, as a <see cref="FloatModel"/>: its layers in
/// the graph's order, each reading the layer before it unless the graph says otherwise (a residual
/// branch names its inputs). What the passes could not fold or fuse is refused here, naming the node.
/// </summary>
internal static class ModelAssembly
{
    public static FloatModel Build(IrGraph graph)
    {
        var names = new LayerNames();
        var layers = new List<Layer>();
        Shape input = ShapeOf(graph.InputDims);
        // Each activation as the PotNet layer that writes it (the model's input for the graph's) and its shape.
        var values = new Dictionary<string, (string Layer, Shape Shape)>(StringComparer.Ordinal) { [graph.Input] = (LayerGraph.ModelInput, input) };

        // A layer's inputs: none when it reads just the layer before it, the chain's default.
        string[] Wiring(params (string Layer, Shape Shape)[] sources)
        {
            string previous = layers.Count == 0 ? LayerGraph.ModelInput : layers[^1].Name;
            return sources.Length == 1 && sources[0].Layer == previous ? [] : [.. sources.Select(s => s.Layer)];
        }

        (string Layer, Shape Shape) Add(Layer layer, params (string Layer, Shape Shape)[] sources)
        {
            layers.Add(layer);
            return (layer.Name, layer.OutputShape([.. sources.Select(s => s.Shape)]));
        }

        // What a node reads as the shape it wants. Before the first layer, a view of the input (an [N, 784]
        // input reshaped to [N, 1, 28, 28]) becomes the model's input shape; a view of an image as a vector
        // [N, C*H*W, 1, 1] is a flatten.
        (string Layer, Shape Shape) Reads(IrNode node, string value, Shape wanted)
        {
            var source = values[value];
            if (wanted == source.Shape) return source;
            if (node is not WeightedNode { Dense: true } && source.Layer == LayerGraph.ModelInput && layers.Count == 0 && wanted.Size == input.Size)
            {
                input = wanted;
                values[graph.Input] = (LayerGraph.ModelInput, wanted);
                return values[graph.Input];
            }

            if (wanted == new Shape(source.Shape.Size, 1, 1))
            {
                string name = node is WeightedNode { Dense: true } dense ? names.Unique(dense.FlattenName ?? "", "flatten") : names.Unique(node.Name + "_flatten", "flatten");
                return Add(new Flatten(name) { Inputs = Wiring(source) }, source);
            }

            throw node.Fail($"it reads {wanted} where {Describe(source.Layer)} gives {source.Shape}; PotNet cannot reshape a vector or an image into another image");
        }

        foreach (IrNode node in graph.Nodes)
        {
            values[node.Output] = node switch
            {
                WeightedNode weighted => Weighted(weighted),
                PoolNode pool => Pool(pool),
                AddNode add => Residual(add),
                AffineNode affine => throw affine.Fail("this per-element scale and shift folds into neither the weighted layer before it (there is none, or a ReLU or another operator comes between, or it varies within a channel) nor the one after it (there is none, or a non-linearity comes between, or it varies within a convolution's input channel)"),
                ReluNode relu => throw relu.Fail("this Relu cannot move into a weighted layer: it follows an average pool or another operator that does not commute with it, and its input can be negative"),
                SoftmaxNode softmax => throw softmax.Fail($"{softmax.OpType} is dropped only as the last operator (the argmax does not change), and here others follow it"),
                PermuteNode permute => throw permute.Fail($"it reorders the elements of {IrNode.Text(graph.DimsOf(permute.Inputs[0]))} (to {IrNode.Text(permute.Dims)}); PotNet folds such a Transpose only into a dense layer right after it (as tf2onnx writes before a flatten)"),
                PadNode pad => throw pad.Fail("PotNet folds a zero Pad only into a convolution that alone reads it, right after it"),
                ViewNode or PassThroughNode => throw node.Fail("left in the graph by the passes (a bug)"),
                IrNode other => throw other.Fail($"no rule for {other.GetType().Name} (a bug)"),
            };
        }

        (string Layer, Shape Shape) Weighted(WeightedNode node)
        {
            var source = Reads(node, node.Inputs[0], node.Dense ? new Shape(values[node.Inputs[0]].Shape.Size, 1, 1) : ShapeOf(node.InputDims));
            if (node.Residual is not string residual) return Add(Layer(node, names, Wiring(source)), source);
            var added = Reads(node, residual, ShapeOf(node.Dims));
            // Wired after the residual's read, which may have added a flatten before this layer.
            return Add(Layer(node, names, Wiring(source), added.Layer), source, added);
        }

        (string Layer, Shape Shape) Pool(PoolNode node)
        {
            var source = Reads(node, node.Inputs[0], ShapeOf(node.InputDims));
            string name = names.Unique(node.Name, node.OpType.ToLowerInvariant());
            string[] inputs = Wiring(source);
            return Add(node.Average ? new AvgPool2d(name, node.Kernel, node.Stride) { Inputs = inputs } : new MaxPool2d(name, node.Kernel, node.Stride) { Inputs = inputs }, source);
        }

        (string Layer, Shape Shape) Residual(AddNode node)
        {
            if (node.Inputs.FirstOrDefault(value => !Passes.FuseRelu.NonNegative(graph, value)) is string signed)
            {
                throw node.Fail($"it adds '{signed}' ({Describe(values[signed].Layer)}), which can be negative: PotNet adds either two u8 activations, each after a ReLU (relu(x + relu(conv(x)))), or, into the accumulator of a weighted layer without a ReLU, one u8 activation, with a Relu right after the Add that nothing else reads (relu(bn(conv(h)) + x)); an Add of two signed values, such as a projection shortcut without a ReLU (relu(bn(conv(h)) + bn(conv(x)))), or one without that Relu, needs signed activations, which PotNet does not have");
            }

            var first = Reads(node, node.Inputs[0], ShapeOf(node.Dims));
            var second = Reads(node, node.Inputs[1], ShapeOf(node.Dims));
            return Add(new ResidualAdd(names.Unique(node.Name, "add")) { Inputs = [first.Layer, second.Layer] }, first, second);
        }

        if (values[graph.Output].Layer != layers.LastOrDefault()?.Name)
        {
            throw new PotNetException($"output '{graph.Output}' is not written by the last layer ({(layers.Count == 0 ? "there is none" : $"'{layers[^1].Name}'")})");
        }

        if (!layers.OfType<FloatComputeLayer>().Any()) throw new PotNetException("the graph has no Conv, Gemm or MatMul: nothing to quantise");
        return new FloatModel(input, layers);
    }

    private static string Describe(string layer) => layer == LayerGraph.ModelInput ? "the input" : $"layer '{layer}'";

    private static FloatComputeLayer Layer(WeightedNode node, LayerNames names, string[] inputs, string? residual = null)
    {
        float[] weights = Array.ConvertAll(node.Weights, w => (float)w), bias = Array.ConvertAll(node.Bias, b => (float)b);
        string name = names.Unique(node.WeightName, node.Name);
        if (weights.Concat(bias).Any(v => !float.IsFinite(v))) throw new PotNetException($"layer '{name}': weights or bias are not finite numbers");
        return new FloatComputeLayer(name, node.Geometry, weights, bias, node.Relu, node.Dense, node.PaddingValues) { Inputs = inputs, Residual = residual };
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
