using PotNet.Float;
using PotNet.Model;
using Xunit.Abstractions;

namespace PotNet.Onnx.Tests;

/// <summary>
/// torchvision's BasicBlock, <c>relu(bn2(conv2(relu(bn1(conv1(x))))) + x)</c>, as PyTorch's exporters
/// write it (TorchScript, opsets 9 to 21; dynamo, opset 18): the batch norm folds into conv2, and the Add
/// and Relu after it fuse into conv2 as its residual source. FloatEngine on the import is within 1e-4 of
/// ONNX Runtime on 100 MNIST images; quantised, FastEngine equals ReferenceEngine.
/// </summary>
[Collection(MnistGroup.Name)]
public sealed class ImportBasicBlockTests(MnistFixture mnist, ITestOutputHelper output)
{
    [Theory]
    [InlineData(9)]
    [InlineData(11)]
    [InlineData(13)]
    [InlineData(17)]
    [InlineData(21)]
    public void Torchscript_basic_blocks_fuse_into_a_residual_source(int opset)
    {
        var graph = new TorchStyleGraph(opset, seed: 180 + opset, 1, 28, 28)
            .Conv("conv1", 1, 8, 3, padding: 1, bias: false).BatchNorm("bn1", 8).Relu().MaxPool(2, 2);
        Block(graph, "layer1.0", 8);
        Block(graph, "layer1.1", 8);
        byte[] onnx = graph.ViewBatchMinusOne().Gemm("fc", 8 * 14 * 14, 10).Finish(10);

        ImportedModel imported = OnnxImport.Read(onnx);
        FloatModel model = imported.Model;
        Assert.Equal(["conv2d", "maxpool2d", "conv2d", "conv2d", "conv2d", "conv2d", "flatten", "dense"], model.Layers.Select(l => l.TypeName));
        // conv2 of each block adds the block's input: the pool, then the first block's conv2. Each reads the layer before it.
        Assert.Equal([null, null, null, "MaxPool_3", null, "layer1.0.conv2", null, null], model.Layers.Select(l => l.Residual));
        Assert.All(model.Layers, layer => Assert.Empty(layer.Inputs));
        Assert.True(model.Layers.OfType<FloatComputeLayer>().SkipLast(1).All(l => l.Relu));
        Assert.Empty(imported.Warnings);
        FloatAgreement.Assert(mnist, output, onnx, model, Output.Logits);
        QuantisedAgreement.Assert(mnist, output, model, layer => layer.Residual is not null);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void The_dynamo_exporter_style_basic_block_opset_18(bool identityFirst)
    {
        var graph = new TorchStyleGraph(18, seed: 190, [1, 28, 28], inputName: "x")
            .Conv("conv1", 1, 6, 3, padding: 1, bias: false).BatchNorm("bn1", 6).Relu().MaxPool(2, 2);
        string x = graph.Current;
        graph.Conv("layer1.0.conv1", 6, 6, 3, padding: 1, bias: false).BatchNorm("layer1.0.bn1", 6).Relu()
            .Conv("layer1.0.conv2", 6, 6, 3, padding: 1, bias: false).BatchNorm("layer1.0.bn2", 6);
        graph.Op("Add", "add", identityFirst ? [x, graph.Current] : [graph.Current, x]).Relu().MaxPool(2, 2);
        byte[] onnx = graph.ReshapeTo(-1, 6 * 7 * 7).MatMulAdd("fc", 6 * 7 * 7, 10).Finish(10);
        FloatModel model = OnnxImport.Read(onnx).Model;
        Assert.Equal(["conv2d", "maxpool2d", "conv2d", "conv2d", "maxpool2d", "flatten", "dense"], model.Layers.Select(l => l.TypeName));
        Assert.Equal("MaxPool_3", model.Layers[3].Residual);
        FloatAgreement.Assert(mnist, output, onnx, model, Output.Logits);
        QuantisedAgreement.Assert(mnist, output, model, layer => layer.Residual is not null);
    }

    [Fact]
    public void A_basic_block_float_model_survives_its_own_export_and_import()
    {
        var graph = new TorchStyleGraph(17, seed: 192, 1, 28, 28).Conv("conv1", 1, 4, 3, padding: 1).Relu().MaxPool(2, 2);
        Block(graph, "layer1.0", 4);
        FloatModel model = OnnxImport.Read(graph.Flatten().Gemm("fc", 4 * 14 * 14, 10).Finish(10)).Model;
        byte[] exported = OnnxExport.ToFloat(model);
        FloatModel again = OnnxImport.Read(exported).Model;
        Assert.Equal(model.Layers.Select(l => (l.TypeName, l.Residual)), again.Layers.Select(l => (l.TypeName, l.Residual)));
        FloatAgreement.Assert(mnist, output, exported, again, Output.Logits);
    }

    [Fact]
    public void A_downsampling_block_whose_shortcut_is_a_projection_without_relu_is_refused_by_name()
    {
        // torchvision's downsample: conv 1x1 stride 2 + BN on the shortcut, so both operands of the Add are signed.
        var graph = new TorchStyleGraph(17, seed: 193, 1, 28, 28).Conv("conv1", 1, 4, 3, padding: 1, bias: false).BatchNorm("bn1", 4).Relu();
        string x = graph.Current;
        graph.Conv("layer2.0.conv1", 4, 8, 3, padding: 1, stride: 2, bias: false).BatchNorm("layer2.0.bn1", 8).Relu()
            .Conv("layer2.0.conv2", 8, 8, 3, padding: 1, bias: false).BatchNorm("layer2.0.bn2", 8);
        string main = graph.Current;
        graph.From(x).Conv("layer2.0.downsample.0", 4, 8, 1, stride: 2, bias: false).BatchNorm("layer2.0.downsample.1", 8)
            .Add("/layer2/layer2.0/Add", main).Relu();
        var ex = Assert.Throws<PotNetException>(() => OnnxImport.Read(graph.Flatten().Gemm("fc", 8 * 14 * 14, 10).Finish(10)));
        Assert.StartsWith("node '/layer2/layer2.0/Add' (Add): it adds '/layer2.0.downsample.0/Conv_output_0' (layer 'layer2.0.downsample.0'), which can be negative: PotNet adds either two u8 activations", ex.Message);
        Assert.Contains("an Add of two signed values, such as a projection shortcut without a ReLU (relu(bn(conv(h)) + bn(conv(x))))", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_block_without_the_relu_after_its_add_is_refused_by_name()
    {
        var graph = new TorchStyleGraph(13, seed: 194, 1, 8, 8).Conv("conv1", 1, 2, 3, padding: 1).Relu();
        string x = graph.Current;
        graph.Conv("conv2", 2, 2, 3, padding: 1).BatchNorm("bn2", 2).Add("/Add", x);
        var ex = Assert.Throws<PotNetException>(() => OnnxImport.Read(graph.Flatten().Gemm("fc", 128, 3).Finish(3)));
        Assert.StartsWith("node '/Add' (Add): it adds '/conv2/Conv_output_0' (layer 'conv2'), which can be negative", ex.Message);
        Assert.Contains("or one without that Relu, needs signed activations", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A BasicBlock with an identity shortcut, as torchvision's forward writes it.</summary>
    private static void Block(TorchStyleGraph graph, string name, int channels)
    {
        string x = graph.Current;
        graph.Conv($"{name}.conv1", channels, channels, 3, padding: 1, bias: false).BatchNorm($"{name}.bn1", channels).Relu()
            .Conv($"{name}.conv2", channels, channels, 3, padding: 1, bias: false).BatchNorm($"{name}.bn2", channels)
            .Add($"/{name.Replace('.', '/')}/Add", x).Relu();
    }
}
