using PotNet.Cli.Tests;
using PotNet.Float;
using PotNet.Model;
using Xunit.Abstractions;

namespace PotNet.Onnx.Tests;

/// <summary>
/// The float evaluator (FloatEngine on the imported FloatModel) against ONNX Runtime on the same
/// file: at most 1e-4 apart on 100 MNIST images, for the project's own exports and for graphs in
/// the patterns PyTorch's exporter writes.
/// </summary>
[Collection(MnistGroup.Name)]
public sealed class ImportTests(MnistFixture mnist, ITestOutputHelper output)
{
    [Fact]
    public void Own_export_of_a_centroid_network_imports_and_matches_onnx_runtime()
    {
        FloatModel original = CentroidNetwork.Build(mnist.Train);
        byte[] onnx = OnnxExport.ToFloat(original);
        ImportedModel imported = OnnxImport.Read(onnx);
        Assert.Equal(original.Layers.Select(l => l.TypeName), imported.Model.Layers.Select(l => l.TypeName));
        AssertMatches(onnx, imported.Model, Output.Logits);
    }

    [Fact]
    public void Own_export_of_a_lenet_style_network_imports_and_matches_onnx_runtime()
    {
        FloatModel original = LenetStyle.Random(seed: 5);
        byte[] onnx = OnnxExport.ToFloat(original);
        ImportedModel imported = OnnxImport.Read(onnx);
        Assert.Equal(original.Shapes, imported.Model.Shapes);
        for (int i = 0; i < original.Layers.Count; i++)
        {
            if (original.Layers[i] is FloatComputeLayer layer)
            {
                var copy = (FloatComputeLayer)imported.Model.Layers[i];
                Assert.Equal(layer.Weights.ToArray(), copy.Weights.ToArray());
                Assert.Equal(layer.Bias.ToArray(), copy.Bias.ToArray());
                Assert.Equal(layer.Relu, copy.Relu);
            }
        }

        AssertMatches(onnx, imported.Model, Output.Logits);
    }

    [Fact]
    public void Opset9_lenet_with_a_shape_chain_dropout_and_softmax()
    {
        byte[] onnx = new TorchStyleGraph(9, seed: 1, 1, 28, 28)
            .Conv("conv1", 1, 6, 5, padding: 2).Relu().MaxPool(2, 2)
            .Conv("conv2", 6, 16, 5).Relu().MaxPool(2, 2)
            .ViewBatchMinusOne()
            .Gemm("fc1", 400, 120).Relu().Dropout()
            .Gemm("fc2", 120, 84).Relu()
            .Gemm("fc3", 84, 10).Softmax()
            .Finish(10);
        ImportedModel imported = OnnxImport.Read(onnx);
        Assert.Equal(9, imported.Opset);
        Assert.Equal(["conv1", "MaxPool_2", "conv2", "MaxPool_5", "Reshape_output_12", "fc1", "fc2", "fc3"], imported.Model.Layers.Select(l => l.Name));
        Assert.Equal(["conv2d", "maxpool2d", "conv2d", "maxpool2d", "flatten", "dense", "dense", "dense"], imported.Model.Layers.Select(l => l.TypeName));
        AssertMatches(onnx, imported.Model, Output.Softmax);
    }

    [Fact]
    public void Opset17_constant_nodes_batchnorm_matmul_add_and_logsoftmax()
    {
        byte[] onnx = new TorchStyleGraph(17, seed: 2, 1, 28, 28, constantNodes: true)
            .Conv("features.0", 1, 8, 3, padding: 1, bias: false).BatchNorm("features.1", 8).Relu().MaxPool(2, 2)
            .Conv("features.4", 8, 12, 3, stride: 2).BatchNorm("features.5", 12).Relu().Identity()
            .Flatten()
            .MatMulAdd("classifier.0", 12 * 6 * 6, 32).Relu().Dropout()
            .Gemm("classifier.3", 32, 10).LogSoftmax()
            .Finish(10);
        ImportedModel imported = OnnxImport.Read(onnx);
        Assert.Equal(17, imported.Opset);
        Assert.All(imported.Model.Layers.OfType<FloatComputeLayer>().SkipLast(1), l => Assert.True(l.Relu));
        AssertMatches(onnx, imported.Model, Output.LogSoftmax);
    }

    [Fact]
    public void Opset13_global_average_pool_average_pool_and_a_constant_reshape()
    {
        byte[] onnx = new TorchStyleGraph(13, seed: 3, 1, 28, 28)
            .Conv("conv1", 1, 6, 3, padding: 1).Relu().AveragePool(2, 2)
            .Conv("conv2", 6, 10, 3, padding: 1).Relu().MaxPool(2, 2)
            .Conv("conv3", 10, 16, 4).Relu().GlobalAveragePool()
            .ReshapeTo(-1, 16)
            .Gemm("fc", 16, 10)
            .Finish(10);
        ImportedModel imported = OnnxImport.Read(onnx);
        Assert.Contains(imported.Model.Layers, l => l is AvgPool2d { Kernel: 4 });
        AssertMatches(onnx, imported.Model, Output.Logits);
    }

    [Fact]
    public void Opset21_normalisation_in_the_graph_and_view_chain()
    {
        byte[] onnx = new TorchStyleGraph(21, seed: 4, 1, 28, 28)
            .Elementwise("Sub", 0.1307f).Elementwise("Div", 0.3081f)
            .Conv("conv1", 1, 4, 5).Relu().MaxPool(2, 2)
            .ViewBatchMinusOne()
            .Gemm("fc", 4 * 12 * 12, 10)
            .Finish(10);
        ImportedModel imported = OnnxImport.Read(onnx);
        Assert.Empty(imported.Warnings);
        AssertMatches(onnx, imported.Model, Output.Logits);
    }

    [Fact]
    public void Input_normalisation_given_on_the_command_line_is_folded_into_the_first_layer()
    {
        var normalization = new InputNormalization(1.0 / 255, [0.1307], [0.3081]);
        byte[] onnx = new TorchStyleGraph(11, seed: 6, 1, 28, 28)
            .Conv("conv1", 1, 4, 5).Relu().MaxPool(2, 2).Flatten().Gemm("fc", 4 * 12 * 12, 10).Finish(10);
        ImportedModel imported = OnnxImport.Read(onnx, normalization);
        AssertMatches(onnx, imported.Model, Output.Logits, image => Array.ConvertAll(image, p => (float)((p / 255.0 - 0.1307) / 0.3081)));
    }

    [Fact]
    public void Folding_a_mean_into_a_padded_first_layer_is_exact_through_its_padding_values()
    {
        byte[] onnx = new TorchStyleGraph(11, seed: 6, 1, 28, 28).Conv("conv1", 1, 4, 5, padding: 2).Relu().Flatten().Gemm("fc", 4 * 28 * 28, 10).Finish(10);
        ImportedModel imported = OnnxImport.Read(onnx, new InputNormalization(1.0 / 255, [0.5], [0.5]));
        Assert.Empty(imported.Warnings);
        var conv1 = (FloatComputeLayer)imported.Model.Layers[0];
        Assert.Equal(127.5, conv1.PaddingValues[0] * 256, 9);
        AssertMatches(onnx, imported.Model, Output.Logits, image => Array.ConvertAll(image, p => (float)((p / 255.0 - 0.5) / 0.5)));
    }

    [Fact]
    public void Padding_values_survive_export_and_import()
    {
        FloatModel original = LenetStyle.Random(seed: 7);
        var conv1 = (FloatComputeLayer)original.Layers[0];
        var padded = new FloatComputeLayer(conv1.Name, conv1.Geometry, conv1.Weights, conv1.Bias, conv1.Relu, paddingValues: [0.125]);
        var model = new FloatModel(original.Input, [padded, .. original.Layers.Skip(1)]);
        byte[] onnx = OnnxExport.ToFloat(model);
        ImportedModel imported = OnnxImport.Read(onnx);
        Assert.Equal([0.125], ((FloatComputeLayer)imported.Model.Layers[0]).PaddingValues.ToArray());
        AssertMatches(onnx, imported.Model, Output.Logits);
    }

    [Fact]
    public void A_batchnorm_after_a_relu_folds_into_a_padded_convolution_exactly()
    {
        byte[] onnx = new TorchStyleGraph(13, seed: 8, 1, 28, 28)
            .Conv("conv1", 1, 6, 3).Relu().BatchNorm("bn1", 6).Conv("conv2", 6, 8, 3, padding: 1).Relu().MaxPool(2, 2)
            .Flatten().Gemm("fc", 8 * 13 * 13, 10).Finish(10);
        ImportedModel imported = OnnxImport.Read(onnx);
        Assert.Equal(["conv2d", "conv2d", "maxpool2d", "flatten", "dense"], imported.Model.Layers.Select(l => l.TypeName));
        Assert.Equal(6, ((FloatComputeLayer)imported.Model.Layers[1]).PaddingValues.Length);
        AssertMatches(onnx, imported.Model, Output.Logits);
    }

    private void AssertMatches(byte[] onnx, FloatModel model, Output final, Func<byte[], float[]>? onnxInput = null) =>
        FloatAgreement.Assert(mnist, output, onnx, model, final, onnxInput: onnxInput);
}
