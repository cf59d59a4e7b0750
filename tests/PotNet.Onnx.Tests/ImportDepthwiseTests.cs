using PotNet.Float;
using PotNet.Model;
using Xunit.Abstractions;

namespace PotNet.Onnx.Tests;

/// <summary>
/// Depthwise-separable blocks (MobileNet's) and grouped convolutions as PyTorch's exporters
/// (TorchScript, opsets 9 to 21; dynamo, opset 18) and tf2onnx write them: Conv with <c>group</c>
/// becomes a grouped conv2d, batch norms fold into it, and FloatEngine on the import is within 1e-4 of
/// ONNX Runtime on 100 MNIST images; quantised, FastEngine equals ReferenceEngine. What PotNet cannot
/// import is refused by name.
/// </summary>
[Collection(MnistGroup.Name)]
public sealed class ImportDepthwiseTests(MnistFixture mnist, ITestOutputHelper output)
{
    [Theory]
    [InlineData(9)]
    [InlineData(11)]
    [InlineData(13)]
    [InlineData(17)]
    [InlineData(21)]
    public void Torchscript_depthwise_separable_blocks(int opset)
    {
        // torchvision's MobileNet blocks: Conv(group = C, no bias) + BN + ReLU, then a 1x1 Conv + BN + ReLU;
        // the second depthwise convolution strides by 2, the last doubles its channels (multiplier 2).
        var graph = new TorchStyleGraph(opset, seed: 120 + opset, 1, 28, 28)
            .Conv("features.0.0", 1, 8, 3, padding: 1, bias: false).BatchNorm("features.0.1", 8).Relu()
            .Conv("features.1.conv.0", 8, 8, 3, padding: 1, bias: false, groups: 8).BatchNorm("features.1.conv.1", 8).Relu()
            .Conv("features.1.conv.3", 8, 16, 1, bias: false).BatchNorm("features.1.conv.4", 16).Relu()
            .Conv("features.2.conv.0", 16, 16, 3, padding: 1, stride: 2, bias: false, groups: 16).BatchNorm("features.2.conv.1", 16).Relu()
            .Conv("features.2.conv.3", 16, 16, 1, bias: false).BatchNorm("features.2.conv.4", 16).Relu()
            .Conv("features.3.conv.0", 16, 32, 3, padding: 1, bias: false, groups: 16).BatchNorm("features.3.conv.1", 32).Relu().MaxPool(2, 2);
        byte[] onnx = graph.ViewBatchMinusOne().Gemm("classifier", 32 * 7 * 7, 10).Finish(10);

        ImportedModel imported = OnnxImport.Read(onnx);
        FloatModel model = imported.Model;
        Assert.Equal(["conv2d", "conv2d", "conv2d", "conv2d", "conv2d", "conv2d", "maxpool2d", "flatten", "dense"], model.Layers.Select(l => l.TypeName));
        Assert.Equal([1, 8, 1, 16, 1, 16], model.Layers.OfType<FloatComputeLayer>().Take(6).Select(l => l.Geometry.Groups));
        Assert.Equal(new ConvGeometry(16, 16, 3, 3, 2, 1, 16), ((FloatComputeLayer)model.Layers[3]).Geometry);
        Assert.All(model.Layers.OfType<FloatComputeLayer>().SkipLast(1), l => Assert.True(l.Relu));
        Assert.Empty(imported.Warnings);
        FloatAgreement.Assert(mnist, output, onnx, model, Output.Logits);
        QuantisedAgreement.Assert(mnist, output, model, layer => layer is ComputeLayer { Geometry.Groups: > 1 });
    }

    [Fact]
    public void A_grouped_convolution_and_a_batch_norm_after_a_relu_folded_forward_into_a_depthwise_one()
    {
        // BN after the ReLU folds forward, per input channel, into the padded depthwise conv: its border
        // then reads the padding values; a ResNeXt-style conv of 4 groups follows.
        var graph = new TorchStyleGraph(13, seed: 130, 1, 28, 28)
            .Conv("conv1", 1, 8, 3, padding: 1).Relu().BatchNorm("bn1", 8)
            .Conv("dw", 8, 8, 3, padding: 1, groups: 8).Relu()
            .Conv("grouped", 8, 16, 3, padding: 1, stride: 2, groups: 4).Relu();
        byte[] onnx = graph.ViewBatchMinusOne().Gemm("fc", 16 * 14 * 14, 10).Finish(10);
        ImportedModel imported = OnnxImport.Read(onnx);
        FloatModel model = imported.Model;
        var dw = (FloatComputeLayer)model.Layers[1];
        Assert.Equal((8, 8), (dw.Geometry.Groups, dw.PaddingValues.Length));
        Assert.Equal(4, ((FloatComputeLayer)model.Layers[2]).Geometry.Groups);
        FloatAgreement.Assert(mnist, output, onnx, model, Output.Logits);
    }

    [Fact]
    public void The_dynamo_exporter_style_depthwise_block_opset_18()
    {
        var graph = new TorchStyleGraph(18, seed: 131, [1, 28, 28], inputName: "x")
            .Conv("conv1", 1, 6, 3, padding: 1).Relu().MaxPool(2, 2)
            .Conv("dw", 6, 6, 3, padding: 1, groups: 6).Relu().Conv("pw", 6, 12, 1).Relu().MaxPool(2, 2);
        byte[] onnx = graph.ReshapeTo(-1, 12 * 7 * 7).MatMulAdd("fc", 12 * 7 * 7, 10).Finish(10);
        FloatModel model = OnnxImport.Read(onnx).Model;
        Assert.Equal([1, 6, 1], model.Layers.OfType<FloatComputeLayer>().Take(3).Select(l => l.Geometry.Groups));
        FloatAgreement.Assert(mnist, output, onnx, model, Output.Logits);
    }

    [Fact]
    public void A_keras_depthwise_conv_on_nhwc_input_as_tf2onnx_writes_it()
    {
        var graph = new TorchStyleGraph(15, seed: 132, [28, 28, 1], inputName: "input_1")
            .Transpose(0, 3, 1, 2)
            .KerasConv("model/conv2d", 1, 8, 3).Relu()
            .KerasDepthwiseConv("model/depthwise_conv2d", 8, 2, 3, autoPad: "SAME_UPPER").Relu()
            .KerasConv("model/conv2d_1", 16, 8, 1).Relu().MaxPool(2, 2);
        byte[] onnx = graph.Transpose(0, 2, 3, 1).ReshapeTo(-1, 13 * 13 * 8).KerasDense("model/dense", 13 * 13 * 8, 10).Softmax().Finish(10);
        FloatModel model = OnnxImport.Read(onnx).Model;
        Assert.Equal(new ConvGeometry(8, 16, 3, 3, 1, 1, 8), ((FloatComputeLayer)model.Layers[1]).Geometry);
        FloatAgreement.Assert(mnist, output, onnx, model, Output.Softmax, sampleShape: [28, 28, 1]);
    }

    [Fact]
    public void A_depthwise_float_model_survives_its_own_export_and_import()
    {
        var graph = new TorchStyleGraph(17, seed: 133, 1, 28, 28).Conv("conv1", 1, 4, 3, padding: 1).Relu()
            .Conv("dw", 4, 8, 3, padding: 1, groups: 4).Relu().AveragePool(2, 2);
        FloatModel model = OnnxImport.Read(graph.Flatten().Gemm("fc", 8 * 14 * 14, 10).Finish(10)).Model;
        byte[] exported = OnnxExport.ToFloat(model);
        FloatModel again = OnnxImport.Read(exported).Model;
        Assert.Equal(model.Layers.OfType<FloatComputeLayer>().Select(l => l.Geometry), again.Layers.OfType<FloatComputeLayer>().Select(l => l.Geometry));
        FloatAgreement.Assert(mnist, output, exported, again, Output.Logits);
    }

    [Fact]
    public void A_group_that_does_not_divide_the_channels_is_refused_by_name()
    {
        // 6 input channels, group 4: the weight [8, 1, 3, 3] cannot be cut into 4 groups of the input.
        var graph = new TorchStyleGraph(13, seed: 134, 6, 8, 8);
        graph.Op("Conv", "/dw/Conv", [graph.Current, graph.Graph.Initializer(OnnxTensors.Float("dw.weight", new float[72], 8, 1, 3, 3))],
            GraphBuilder.Int("group", 4), GraphBuilder.Ints("kernel_shape", 3, 3));
        var ex = Assert.Throws<PotNetException>(() => OnnxImport.Read(graph.Flatten().Gemm("fc", 8 * 36, 3).Finish(3)));
        Assert.Equal("node '/dw/Conv' (Conv): group 4 must divide the input's 6 channels and the 8 output channels", ex.Message);
    }

    [Fact]
    public void A_weight_that_does_not_match_the_group_is_refused_by_name()
    {
        // group 2 over 4 channels wants [out, 2, k, k].
        var graph = new TorchStyleGraph(13, seed: 135, 4, 8, 8);
        graph.Op("Conv", "/g/Conv", [graph.Current, graph.Graph.Initializer(OnnxTensors.Float("g.weight", new float[36], 4, 1, 3, 3))],
            GraphBuilder.Int("group", 2), GraphBuilder.Ints("kernel_shape", 3, 3));
        var ex = Assert.Throws<PotNetException>(() => OnnxImport.Read(graph.Flatten().Gemm("fc", 4 * 36, 3).Finish(3)));
        Assert.StartsWith("node '/g/Conv' (Conv): weight of shape", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("does not match the input's 4 channels in 2 group(s)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dilated_depthwise_convolution_is_refused_by_name()
    {
        var graph = new TorchStyleGraph(13, seed: 136, 4, 8, 8);
        graph.Op("Conv", "/dw/Conv", [graph.Current, graph.Graph.Initializer(OnnxTensors.Float("dw.weight", new float[36], 4, 1, 3, 3))],
            GraphBuilder.Ints("dilations", 2, 2), GraphBuilder.Int("group", 4), GraphBuilder.Ints("kernel_shape", 3, 3));
        var ex = Assert.Throws<PotNetException>(() => OnnxImport.Read(graph.Flatten().Gemm("fc", 4 * 16, 3).Finish(3)));
        Assert.Equal("node '/dw/Conv' (Conv): dilations other than 1 are not supported", ex.Message);
    }
}
