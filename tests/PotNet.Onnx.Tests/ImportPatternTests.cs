using PotNet.Float;
using PotNet.Model;
using Xunit.Abstractions;

namespace PotNet.Onnx.Tests;

/// <summary>
/// Graphs as PyTorch's exporters (TorchScript-based, opsets 9 to 21, and the dynamo-based one) and
/// tf2onnx write them, one per pattern the passes handle: each imported and run by FloatEngine
/// within 1e-4 of ONNX Runtime on 100 MNIST images.
/// </summary>
[Collection(MnistGroup.Name)]
public sealed class ImportPatternTests(MnistFixture mnist, ITestOutputHelper output)
{
    [Theory]
    [InlineData(9)]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    [InlineData(15)]
    [InlineData(17)]
    [InlineData(18)]
    [InlineData(21)]
    public void Lenet5_with_batchnorm1d_after_a_relu_folds_it_forward_into_the_next_layer(int opset)
    {
        byte[] onnx = new TorchStyleGraph(opset, seed: opset, 1, 28, 28)
            .Conv("conv1", 1, 6, 5, padding: 2).BatchNorm("bn1", 6).Relu().MaxPool(2, 2)
            .Conv("conv2", 6, 16, 5).Relu().MaxPool(2, 2)
            .ViewBatchMinusOne()
            .Gemm("fc1", 400, 120).Relu().BatchNorm1d("bn3", 120).Dropout()
            .Gemm("fc2", 120, 84).Relu().BatchNorm1d("bn4", 84)
            .Gemm("fc3", 84, 10).LogSoftmax()
            .Finish(10);
        ImportedModel imported = OnnxImport.Read(onnx);
        Assert.Equal(["conv2d", "maxpool2d", "conv2d", "maxpool2d", "flatten", "dense", "dense", "dense"], imported.Model.Layers.Select(l => l.TypeName));
        Assert.Empty(imported.Warnings);
        FloatAgreement.Assert(mnist, output, onnx, imported.Model, Output.LogSoftmax);
    }

    [Fact]
    public void A_batchnorm_after_a_relu_moves_past_a_max_pool_into_the_next_convolution()
    {
        byte[] onnx = new TorchStyleGraph(13, seed: 21, 1, 28, 28)
            .Conv("conv1", 1, 6, 3).Relu().PositiveBatchNorm("bn1", 6).MaxPool(2, 2)
            .Conv("conv2", 6, 8, 3).Relu().AveragePool(2, 2).BatchNorm("bn2", 8)
            .Flatten().Gemm("fc", 8 * 5 * 5, 10)
            .Finish(10);
        ImportedModel imported = OnnxImport.Read(onnx);
        Assert.Equal(["conv2d", "maxpool2d", "conv2d", "avgpool2d", "flatten", "dense"], imported.Model.Layers.Select(l => l.TypeName));
        FloatAgreement.Assert(mnist, output, onnx, imported.Model, Output.Logits);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(17)]
    public void An_mlp_on_a_flat_input_n_784(int opset)
    {
        byte[] onnx = new TorchStyleGraph(opset, seed: 30 + opset, [784])
            .Gemm("fc1", 784, 64).Relu().Gemm("fc2", 64, 32).Relu().Gemm("fc3", 32, 10).Finish(10);
        ImportedModel imported = OnnxImport.Read(onnx);
        Assert.Equal(new Shape(784, 1, 1), imported.Model.Input);
        Assert.Equal(["dense", "dense", "dense"], imported.Model.Layers.Select(l => l.TypeName));
        FloatAgreement.Assert(mnist, output, onnx, imported.Model, Output.Logits, sampleShape: [784]);
    }

    [Fact]
    public void A_keras_mlp_on_n_28_28_as_tf2onnx_writes_it()
    {
        byte[] onnx = new TorchStyleGraph(13, seed: 40, [28, 28], inputName: "flatten_input")
            .ReshapeTo(-1, 784)
            .KerasDense("sequential/dense", 784, 64).Relu()
            .KerasDense("sequential/dense_1", 64, 10).Softmax()
            .Finish(10);
        ImportedModel imported = OnnxImport.Read(onnx);
        Assert.Equal(new Shape(1, 28, 28), imported.Model.Input);
        Assert.Equal(["flatten", "dense", "dense"], imported.Model.Layers.Select(l => l.TypeName));
        FloatAgreement.Assert(mnist, output, onnx, imported.Model, Output.Softmax, sampleShape: [28, 28]);
    }

    [Fact]
    public void A_keras_cnn_on_nhwc_input_as_tf2onnx_writes_it()
    {
        byte[] onnx = new TorchStyleGraph(15, seed: 41, [28, 28, 1], inputName: "input_1")
            .Transpose(0, 3, 1, 2)
            .KerasConv("sequential/conv2d", 1, 8, 3).Relu().MaxPool(2, 2)
            .Transpose(0, 2, 3, 1).ReshapeTo(-1, 13 * 13 * 8)
            .KerasDense("sequential/dense", 13 * 13 * 8, 10).Softmax()
            .Finish(10);
        ImportedModel imported = OnnxImport.Read(onnx);
        Assert.Equal(new Shape(1, 28, 28), imported.Model.Input);
        FloatAgreement.Assert(mnist, output, onnx, imported.Model, Output.Softmax, sampleShape: [28, 28, 1]);
    }

    [Fact]
    public void A_fixed_batch_of_10_with_a_reshape_to_that_batch()
    {
        byte[] onnx = new TorchStyleGraph(11, seed: 50, [1, 28, 28], batch: 10)
            .Conv("conv1", 1, 4, 5).Relu().MaxPool(2, 2)
            .ViewBatchMinusOne().Gemm("fc1", 4 * 12 * 12, 32).Relu()
            .ReshapeTo(10, 32).Gemm("fc2", 32, 10)
            .Finish(10);
        ImportedModel imported = OnnxImport.Read(onnx);
        FloatAgreement.Assert(mnist, output, onnx, imported.Model, Output.Logits, batch: 10);
    }

    [Fact]
    public void The_dynamo_exporter_style_opset_18()
    {
        byte[] onnx = new TorchStyleGraph(18, seed: 60, [1, 28, 28], inputName: "x")
            .Conv("conv1", 1, 6, 3, padding: 1, bias: false).BatchNorm("bn1", 6).Relu().MaxPool(2, 2)
            .Conv("conv2", 6, 12, 3, padding: 1).Relu().MaxPool(2, 2)
            .ReshapeTo(-1, 12 * 7 * 7).MatMulAdd("fc1", 12 * 7 * 7, 32).Relu()
            .Gemm("fc2", 32, 10)
            .Finish(10);
        ImportedModel imported = OnnxImport.Read(onnx);
        Assert.Equal(["conv2d", "maxpool2d", "conv2d", "maxpool2d", "flatten", "dense", "dense"], imported.Model.Layers.Select(l => l.TypeName));
        FloatAgreement.Assert(mnist, output, onnx, imported.Model, Output.Logits);
    }

    [Fact]
    public void Squeeze_and_unsqueeze_around_a_convolution_on_n_28_28()
    {
        byte[] onnx = new TorchStyleGraph(13, seed: 70, [28, 28])
            .Unsqueeze(1).Conv("conv1", 1, 4, 5).Relu().MaxPool(2, 2)
            .Flatten().Unsqueeze(2).Identity().Unsqueeze(3)
            .Conv("head", 4 * 12 * 12, 10, 1)
            .Flatten()
            .Finish(10);
        ImportedModel imported = OnnxImport.Read(onnx);
        Assert.Equal(new Shape(1, 28, 28), imported.Model.Input);
        FloatAgreement.Assert(mnist, output, onnx, imported.Model, Output.Logits, sampleShape: [28, 28]);
    }

    [Theory]
    [InlineData(9)]
    [InlineData(11)]
    [InlineData(13)]
    [InlineData(18)]
    [InlineData(21)]
    public void An_explicit_zero_pad_folds_into_the_next_convolution(int opset)
    {
        byte[] onnx = new TorchStyleGraph(opset, seed: 100 + opset, 1, 28, 28)
            .Pad(2).Conv("conv1", 1, 4, 5).Relu().MaxPool(2, 2)
            .Pad(1).Conv("conv2", 4, 8, 3, padding: 1).Relu().MaxPool(2, 2)
            .Flatten().Gemm("fc", 8 * 8 * 8, 10)
            .Finish(10);
        FloatModel model = OnnxImport.Read(onnx).Model;
        Assert.Equal(["conv2d", "maxpool2d", "conv2d", "maxpool2d", "flatten", "dense"], model.Layers.Select(l => l.TypeName));
        Assert.Equal([2, 2], model.Layers.OfType<FloatComputeLayer>().Take(2).Select(l => l.Geometry.Padding));
        FloatAgreement.Assert(mnist, output, onnx, model, Output.Logits);
    }
}
