using PotNet.Float;
using PotNet.Model;
using Xunit.Abstractions;

namespace PotNet.Onnx.Tests;

/// <summary>
/// Residual blocks as PyTorch's exporters (TorchScript, opsets 9 to 21; dynamo, opset 18) and tf2onnx
/// write them: each Add of two activations becomes a <see cref="ResidualAdd"/>, and FloatEngine on the
/// import is within 1e-4 of ONNX Runtime on 100 MNIST images. What PotNet cannot add is refused by name.
/// </summary>
[Collection(MnistGroup.Name)]
public sealed class ImportResidualTests(MnistFixture mnist, ITestOutputHelper output)
{
    [Theory]
    [InlineData(9)]
    [InlineData(11)]
    [InlineData(13)]
    [InlineData(17)]
    [InlineData(21)]
    public void Torchscript_residual_blocks_with_an_identity_and_a_projection_shortcut(int opset)
    {
        var graph = new TorchStyleGraph(opset, seed: 80 + opset, 1, 28, 28)
            .Conv("conv1", 1, 8, 3, padding: 1, bias: false).BatchNorm("bn1", 8).Relu().MaxPool(2, 2);
        string x = graph.Current;
        graph.Conv("layer1.0.conv1", 8, 8, 3, padding: 1, bias: false).BatchNorm("layer1.0.bn1", 8).Relu()
            .Conv("layer1.0.conv2", 8, 8, 3, padding: 1, bias: false).BatchNorm("layer1.0.bn2", 8).Relu()
            .Add("/layer1/layer1.0/Add", x).Relu();
        string y = graph.Current;
        graph.Conv("layer2.0.conv1", 8, 16, 3, padding: 1, stride: 2, bias: false).BatchNorm("layer2.0.bn1", 16).Relu()
            .Conv("layer2.0.conv2", 16, 16, 3, padding: 1, bias: false).BatchNorm("layer2.0.bn2", 16).Relu();
        string main = graph.Current;
        graph.From(y).Conv("layer2.0.downsample.0", 8, 16, 1, stride: 2, bias: false).BatchNorm("layer2.0.downsample.1", 16).Relu()
            .Add("/layer2/layer2.0/Add", main).Relu();
        byte[] onnx = graph.ViewBatchMinusOne().Gemm("fc", 16 * 7 * 7, 10).Finish(10);

        ImportedModel imported = OnnxImport.Read(onnx);
        FloatModel model = imported.Model;
        Assert.Equal(["conv2d", "maxpool2d", "conv2d", "conv2d", "add", "conv2d", "conv2d", "conv2d", "add", "flatten", "dense"], model.Layers.Select(l => l.TypeName));
        // The first add reads the pool (the block's input); the projection reads the first add, not the layer before it.
        Assert.Equal(["layer1.0.conv2", "MaxPool_3"], model.Layers[4].Inputs);
        Assert.Equal(["layer1_layer1.0_Add"], model.Layers[7].Inputs);
        Assert.Equal(["layer2.0.downsample.0", "layer2.0.conv2"], model.Layers[8].Inputs);
        Assert.Empty(model.Layers[5].Inputs);
        Assert.Empty(imported.Warnings);
        FloatAgreement.Assert(mnist, output, onnx, model, Output.Logits);
        QuantisedAgreement.Assert(mnist, output, model, layer => layer is ResidualAdd);
    }

    [Fact]
    public void The_dynamo_exporter_style_residual_block_opset_18()
    {
        var graph = new TorchStyleGraph(18, seed: 90, [1, 28, 28], inputName: "x")
            .Conv("conv1", 1, 6, 3, padding: 1).Relu().MaxPool(2, 2);
        string x = graph.Current;
        graph.Conv("block.conv1", 6, 6, 3, padding: 1).Relu().Conv("block.conv2", 6, 6, 3, padding: 1).Relu()
            .Op("Add", "add", [x, graph.Current]).Relu().MaxPool(2, 2);
        byte[] onnx = graph.ReshapeTo(-1, 6 * 7 * 7).MatMulAdd("fc", 6 * 7 * 7, 10).Finish(10);
        FloatModel model = OnnxImport.Read(onnx).Model;
        Assert.Equal(["conv2d", "maxpool2d", "conv2d", "conv2d", "add", "maxpool2d", "flatten", "dense"], model.Layers.Select(l => l.TypeName));
        Assert.Equal(["MaxPool_2", "block.conv2"], model.Layers[4].Inputs);
        FloatAgreement.Assert(mnist, output, onnx, model, Output.Logits);
    }

    [Fact]
    public void A_keras_residual_block_on_nhwc_input_as_tf2onnx_writes_it()
    {
        var graph = new TorchStyleGraph(15, seed: 91, [28, 28, 1], inputName: "input_1")
            .Transpose(0, 3, 1, 2)
            .KerasConv("model/conv2d", 1, 8, 3).Relu().MaxPool(2, 2);
        string x = graph.Current;
        graph.KerasConv("model/conv2d_1", 8, 8, 3, autoPad: "SAME_UPPER").Relu()
            .Op("Add", "model/add/add", [x, graph.Current]).Op("Relu", "model/re_lu/Relu", [graph.Current]);
        byte[] onnx = graph.Transpose(0, 2, 3, 1).ReshapeTo(-1, 13 * 13 * 8).KerasDense("model/dense", 13 * 13 * 8, 10).Softmax().Finish(10);
        FloatModel model = OnnxImport.Read(onnx).Model;
        Assert.Equal(["conv2d", "maxpool2d", "conv2d", "add", "flatten", "dense"], model.Layers.Select(l => l.TypeName));
        FloatAgreement.Assert(mnist, output, onnx, model, Output.Softmax, sampleShape: [28, 28, 1]);
    }

    [Fact]
    public void A_residual_float_model_survives_its_own_export_and_import()
    {
        var graph = new TorchStyleGraph(17, seed: 92, 1, 28, 28).Conv("conv1", 1, 4, 3, padding: 1).Relu();
        string x = graph.Current;
        graph.Conv("conv2", 4, 4, 3, padding: 1).Relu().Add("/Add", x).AveragePool(2, 2);
        FloatModel model = OnnxImport.Read(graph.Flatten().Gemm("fc", 4 * 14 * 14, 10).Finish(10)).Model;
        byte[] exported = OnnxExport.ToFloat(model);
        FloatModel again = OnnxImport.Read(exported).Model;
        Assert.Equal(model.Layers.Select(l => (l.TypeName, string.Join(",", l.Inputs))), again.Layers.Select(l => (l.TypeName, string.Join(",", l.Inputs))));
        FloatAgreement.Assert(mnist, output, exported, again, Output.Logits);
    }

    [Fact]
    public void An_add_that_broadcasts_is_refused()
    {
        var graph = new TorchStyleGraph(13, seed: 94, 1, 8, 8).Conv("conv1", 1, 2, 3, padding: 1).Relu();
        string x = graph.Current;
        graph.GlobalAveragePool().Add("/Add", x);
        var ex = Assert.Throws<PotNetException>(() => OnnxImport.Read(graph.Flatten().Gemm("fc", 128, 3).Finish(3)));
        Assert.Equal("node '/Add' (Add): it adds [N, 2, 1, 1] and [N, 2, 8, 8]; PotNet adds two activations of the same shape only (no broadcasting)", ex.Message);
    }

    [Fact]
    public void A_product_of_two_activations_is_refused()
    {
        var graph = new TorchStyleGraph(13, seed: 95, 1, 8, 8).Conv("conv1", 1, 2, 3, padding: 1).Relu();
        string x = graph.Current;
        graph.Conv("conv2", 2, 2, 3, padding: 1).Relu().Op("Mul", "/Mul", [graph.Current, x]);
        var ex = Assert.Throws<PotNetException>(() => OnnxImport.Read(graph.Flatten().Gemm("fc", 128, 3).Finish(3)));
        Assert.Equal("node '/Mul' (Mul): it reads 2 activations ('/Relu_3_output_0' and '/Relu_1_output_0'); PotNet imports Mul of an activation and a constant only, and Add of two activations (a residual connection)", ex.Message);
    }
}
