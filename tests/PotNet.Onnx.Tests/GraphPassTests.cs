using PotNet.Model;
using PotNet.Onnx.Graph;
using PotNet.Onnx.Graph.Passes;

namespace PotNet.Onnx.Tests;

/// <summary>Each pass of the import on small hand-built graphs: what it folds, fuses or removes, and what it must leave alone.</summary>
public sealed class GraphPassTests
{
    private static WeightedNode Dense(string input, string output, int inFeatures, int outFeatures, double[]? weights = null, double[]? bias = null) =>
        new("Gemm", output, input, output, [outFeatures], $"{output}.weight", ConvGeometry.Dense(inFeatures, outFeatures), dense: true, [inFeatures],
            weights ?? Enumerable.Range(1, inFeatures * outFeatures).Select(i => (double)i).ToArray(), bias ?? new double[outFeatures]);

    private static WeightedNode Conv(string input, string output, int inChannels, int outChannels, int side, int padding = 0) =>
        new("Conv", output, input, output, [outChannels, side + 2 * padding - 2, side + 2 * padding - 2], $"{output}.weight",
            new ConvGeometry(inChannels, outChannels, 3, 3, 1, padding), dense: false, [inChannels, side, side],
            Enumerable.Range(0, outChannels * inChannels * 9).Select(i => 0.5 + i).ToArray(), new double[outChannels]);

    private static AffineNode Affine(string input, string output, long[] dims, double[] a, double[] b) => new("BatchNormalization", output, input, output, dims, a, b);

    private static IrGraph Graph(long[] inputDims, string output, params IrNode[] nodes) => new("x", inputDims, [.. nodes], output);

    [Fact]
    public void Pass_throughs_are_removed_and_their_readers_rewired()
    {
        var fc = Dense("id", "fc", 2, 1);
        var graph = Graph([2], "drop", new PassThroughNode("Identity", "id", "x", "id", [2]), fc, new PassThroughNode("Dropout", "drop", "fc", "drop", [1]));
        RemovePassThrough.Run(graph);
        Assert.Equal([fc], graph.Nodes);
        Assert.Equal("x", fc.Inputs[0]);
        Assert.Equal("fc", graph.Output);
    }

    [Fact]
    public void Views_are_removed_and_the_flattening_one_names_the_dense_layer_flatten()
    {
        var fc = Dense("u", "fc", 8, 1);
        var graph = Graph([2, 2, 2], "fc", new ViewNode("Reshape", "/Reshape", "x", "r", [8]), new ViewNode("Unsqueeze", "/Unsqueeze", "r", "u", [8, 1]), fc);
        RemoveViews.Run(graph);
        Assert.Equal([fc], graph.Nodes);
        Assert.Equal("x", fc.Inputs[0]);
        Assert.Equal("/Reshape", fc.FlattenName);
    }

    [Fact]
    public void A_final_softmax_is_dropped_and_an_inner_one_kept()
    {
        var inner = new SoftmaxNode("Softmax", "inner", "x", "s", [2]);
        var graph = Graph([2], "out", inner, Dense("s", "fc", 2, 2), new SoftmaxNode("LogSoftmax", "final", "fc", "out", [2]));
        DropFinalSoftmax.Run(graph);
        Assert.Equal("fc", graph.Output);
        Assert.Contains(inner, graph.Nodes);
    }

    [Fact]
    public void Two_affine_maps_compose_into_one()
    {
        var second = Affine("a", "b", [2], [3, 5], [1, -1]);
        var graph = Graph([2], "fc", Affine("x", "a", [2], [2, -1], [0.5, 4]), second, Dense("b", "fc", 2, 1));
        MergeAffines.Run(graph);
        Assert.Equal(2, graph.Nodes.Count);
        Assert.Equal([6, -5], second.A);
        Assert.Equal([2.5, 19], second.B);
    }

    [Fact]
    public void A_per_channel_affine_folds_back_into_the_layer_before_it()
    {
        var fc = Dense("x", "fc", 2, 2, [1, 2, 3, 4], [10, 20]);
        var graph = Graph([2], "bn", fc, Affine("fc", "bn", [2], [2, -1], [1, 3]));
        FoldAffineBackward.Run(graph);
        Assert.Equal([fc], graph.Nodes);
        Assert.Equal([2, 4, -3, -4], fc.Weights);
        Assert.Equal([21, -17], fc.Bias);
        Assert.Equal("fc", graph.Output);
    }

    [Fact]
    public void An_affine_does_not_fold_back_across_a_relu_a_second_reader_or_a_map_that_varies_within_a_channel()
    {
        var withRelu = Dense("x", "fc", 2, 2);
        withRelu.Relu = true;
        var across = Graph([2], "bn", withRelu, Affine("fc", "bn", [2], [2, 2], [0, 0]));
        FoldAffineBackward.Run(across);
        Assert.Equal(2, across.Nodes.Count);

        var shared = Graph([2], "fc2", Dense("x", "fc", 2, 2), Affine("fc", "bn", [2], [2, 2], [0, 0]), Dense("fc", "fc2", 2, 2));
        FoldAffineBackward.Run(shared);
        Assert.Equal(3, shared.Nodes.Count);

        var varying = Graph([1, 4, 4], "bn", Conv("x", "conv", 1, 1, 4), Affine("conv", "bn", [1, 2, 2], [1, 2, 1, 1], [0, 0, 0, 0]));
        FoldAffineBackward.Run(varying);
        Assert.Equal(2, varying.Nodes.Count);
    }

    [Fact]
    public void A_relu_fuses_into_the_layer_before_it_across_a_max_pool_but_not_an_average_pool()
    {
        var conv = Conv("x", "conv", 1, 2, 6);
        var pool = new PoolNode("MaxPool", "pool", "conv", "pool", [2, 2, 2], [2, 4, 4], average: false, 2, 2);
        var graph = Graph([1, 6, 6], "relu", conv, pool, new ReluNode("relu", "pool", "relu", [2, 2, 2]));
        FuseRelu.Run(graph);
        Assert.True(conv.Relu);
        Assert.Equal([conv, pool], graph.Nodes);

        var conv2 = Conv("x", "conv", 1, 2, 6);
        var average = Graph([1, 6, 6], "relu", conv2, new PoolNode("AveragePool", "pool", "conv", "pool", [2, 2, 2], [2, 4, 4], average: true, 2, 2), new ReluNode("relu", "pool", "relu", [2, 2, 2]));
        FuseRelu.Run(average);
        Assert.False(conv2.Relu);
        Assert.Equal(3, average.Nodes.Count);
    }

    [Fact]
    public void A_relu_of_the_pixels_is_removed()
    {
        var graph = Graph([2], "fc", new ReluNode("relu", "x", "r", [2]), Dense("r", "fc", 2, 1));
        FuseRelu.Run(graph);
        Assert.Single(graph.Nodes);
    }

    [Fact]
    public void An_affine_folds_forward_into_a_dense_layer_per_element()
    {
        var fc = Dense("bn", "fc", 2, 1, [3, 5], [1]);
        var graph = Graph([2], "fc", Affine("x", "bn", [2], [2, -1], [1, 4]), fc);
        FoldAffineForward.Run(graph);
        Assert.Equal([fc], graph.Nodes);
        Assert.Equal([6, -5], fc.Weights);
        Assert.Equal([1 + 3 + 20], fc.Bias);
        Assert.Empty(graph.Warnings);
    }

    [Fact]
    public void An_affine_folds_forward_into_a_convolution_only_when_constant_per_input_channel_and_sets_its_padding_values()
    {
        var conv = Conv("bn", "conv", 1, 1, 4, padding: 1);
        var graph = Graph([1, 4, 4], "conv", Affine("x", "bn", [1, 4, 4], Enumerable.Repeat(2.0, 16).ToArray(), Enumerable.Repeat(1.0, 16).ToArray()), conv);
        FoldAffineForward.Run(graph);
        Assert.Equal([conv], graph.Nodes);
        Assert.Equal(Enumerable.Range(0, 9).Select(i => 2 * (0.5 + i)), conv.Weights);
        Assert.Equal(Enumerable.Range(0, 9).Sum(i => 0.5 + i), conv.Bias[0]);
        Assert.Equal([-0.5], conv.PaddingValues!);
        Assert.Equal("layer 'conv': its padded border reads -0.5 (the input that node 'bn' (BatchNormalization) takes to the border's value), below 0, where u8 activations cannot go: the float model is exact, the quantised one reads 0 there", Assert.Single(graph.Warnings));

        var varying = Graph([1, 4, 4], "conv", Affine("x", "bn", [1, 4, 4], Enumerable.Range(0, 16).Select(i => 1.0 + i).ToArray(), new double[16]), Conv("bn", "conv", 1, 1, 4));
        FoldAffineForward.Run(varying);
        Assert.Equal(2, varying.Nodes.Count);
    }

    [Fact]
    public void An_affine_moves_past_a_max_pool_only_with_positive_scales_and_past_an_average_pool_always()
    {
        PoolNode Pool(bool average) => new(average ? "AveragePool" : "MaxPool", "pool", "bn", "pool", [1, 2, 2], [1, 4, 4], average, 2, 2);
        IrGraph Case(double scale, bool average) => Graph([1, 4, 4], "fc",
            Affine("x", "bn", [1, 4, 4], Enumerable.Repeat(scale, 16).ToArray(), Enumerable.Repeat(1.0, 16).ToArray()), Pool(average), Dense("pool", "fc", 4, 1));
        foreach ((double scale, bool average, bool folds) in new[] { (2.0, false, true), (-2.0, false, false), (-2.0, true, true) })
        {
            IrGraph graph = Case(scale, average);
            FoldAffineForward.Run(graph);
            Assert.Equal(folds, !graph.Nodes.OfType<AffineNode>().Any());
        }
    }

    [Fact]
    public void A_permutation_folds_into_the_dense_layer_after_it()
    {
        var fc = Dense("t", "fc", 3, 1, [10, 20, 30]);
        var graph = Graph([3], "fc", new PermuteNode("t", "x", "t", [3], [2, 0, 1]), fc);
        FoldPermutation.Run(graph);
        Assert.Equal([fc], graph.Nodes);
        Assert.Equal([20, 30, 10], fc.Weights);
    }
}

/// <summary>The lowering: constants folded (a Shape chain becomes a Reshape's known target), every node's dimensions inferred.</summary>
public sealed class LoweringTests
{
    [Fact]
    public void A_shape_chain_folds_to_constants_and_every_activation_gets_its_dimensions()
    {
        byte[] onnx = new TorchStyleGraph(13, seed: 1, 1, 8, 8, constantNodes: true)
            .Conv("conv1", 1, 2, 3, padding: 1).Relu().MaxPool(2, 2).ViewBatchMinusOne().Unsqueeze(2).Finish(32);
        var model = Proto.ModelProto.Parser.ParseFrom(onnx);
        IrGraph graph = Lowering.Run(model.Graph, InputNormalization.PotNet);
        Assert.Equal(["Conv", "Relu", "MaxPool", "Reshape", "Unsqueeze"], graph.Nodes.Select(n => n.OpType));
        Assert.Equal([[2L, 8, 8], [2L, 8, 8], [2L, 4, 4], [32L], [32L, 1]], graph.Nodes.Select(n => n.Dims));
        Assert.Equal(graph.Nodes[^1].Output, graph.Output);
    }

    [Fact]
    public void The_input_normalisation_becomes_an_affine_node_before_the_graph()
    {
        byte[] onnx = new TorchStyleGraph(13, seed: 1, [4]).Gemm("fc", 4, 2).Finish(2);
        IrGraph graph = Lowering.Run(Proto.ModelProto.Parser.ParseFrom(onnx).Graph, new InputNormalization(1.0 / 256, [0.5], [0.25]));
        var affine = Assert.IsType<AffineNode>(graph.Nodes[0]);
        Assert.Equal(graph.Input, affine.Inputs[0]);
        Assert.All(affine.A, a => Assert.Equal(4, a));
        Assert.All(affine.B, b => Assert.Equal(-2, b));
    }
}
