namespace PotNet.Onnx.Tests;

/// <summary>What the passes cannot fold or fuse, and what the lowering cannot map: each refused with one message naming the node.</summary>
public sealed class ImportRefusalTests
{
    private static PotNetException Refuse(byte[] onnx) => Assert.Throws<PotNetException>(() => OnnxImport.Read(onnx));

    [Fact]
    public void A_batchnorm_with_no_layer_after_it_and_a_relu_before_it_folds_nowhere()
    {
        var ex = Refuse(new TorchStyleGraph(13, seed: 1, [16]).Gemm("fc1", 16, 8).Relu().BatchNorm1d("bn", 8).Finish(8));
        Assert.StartsWith("node '/bn/BatchNormalization' (BatchNormalization): this per-element scale and shift folds into neither the weighted layer before it", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relu_after_an_average_pool_of_a_layer_without_relu_is_refused()
    {
        var ex = Refuse(new TorchStyleGraph(13, seed: 2, 1, 8, 8).Conv("conv1", 1, 2, 3).AveragePool(2, 2).Relu().Flatten().Gemm("fc", 18, 3).Finish(3));
        Assert.Equal("node '/Relu_2' (Relu): this Relu cannot move into a weighted layer: it follows an average pool or another operator that does not commute with it, and its input can be negative", ex.Message);
    }

    [Fact]
    public void A_relu_after_an_average_pool_of_a_relu_is_removed()
    {
        ImportedModel imported = OnnxImport.Read(new TorchStyleGraph(13, seed: 2, 1, 8, 8).Conv("conv1", 1, 2, 3).Relu().AveragePool(2, 2).Relu().Flatten().Gemm("fc", 18, 3).Finish(3));
        Assert.Equal(["conv2d", "avgpool2d", "flatten", "dense"], imported.Model.Layers.Select(l => l.TypeName));
    }

    [Fact]
    public void A_softmax_before_another_layer_is_refused()
    {
        var ex = Refuse(new TorchStyleGraph(13, seed: 3, [16]).Gemm("fc1", 16, 8).Softmax().Gemm("fc2", 8, 3).Finish(3));
        Assert.Equal("node '/Softmax_1' (Softmax): Softmax is dropped only as the last operator (the argmax does not change), and here others follow it", ex.Message);
    }

    [Fact]
    public void A_transpose_that_reorders_an_image_before_a_convolution_is_refused()
    {
        var ex = Refuse(new TorchStyleGraph(13, seed: 4, [8, 8, 2]).Transpose(0, 3, 1, 2).Conv("conv1", 2, 2, 3).Relu().Flatten().Gemm("fc", 72, 3).Finish(3));
        Assert.Equal("node '/Transpose_0' (Transpose): it reorders the elements of [N, 8, 8, 2] (to [N, 2, 8, 8]); PotNet folds such a Transpose only into a dense layer right after it (as tf2onnx writes before a flatten)", ex.Message);
    }

    [Fact]
    public void A_reshape_that_moves_values_between_samples_is_refused()
    {
        var ex = Refuse(new TorchStyleGraph(13, seed: 5, 1, 8, 8).Conv("conv1", 1, 2, 3).Relu().ReshapeTo(-1).Finish(3));
        Assert.Equal("node '/Reshape_2' (Reshape): reshaping [N, 2, 6, 6] to [-1] moves values between samples; PotNet imports reshapes that keep the batch first", ex.Message);
    }

    [Fact]
    public void A_convolution_on_a_vector_is_refused()
    {
        var ex = Refuse(new TorchStyleGraph(13, seed: 6, [784]).Conv("conv1", 1, 2, 3).Finish(3));
        Assert.Equal("node '/conv1/Conv' (Conv): Conv reads an image [N, C, H, W]; here the activation is [N, 784]", ex.Message);
    }

    [Fact]
    public void An_unsqueeze_in_front_of_the_batch_is_refused()
    {
        var ex = Refuse(new TorchStyleGraph(13, seed: 8, [16]).Unsqueeze(0).Gemm("fc", 16, 3).Finish(3));
        Assert.Equal("node '/Unsqueeze_0' (Unsqueeze): a new first dimension would displace the batch; PotNet keeps the batch first", ex.Message);
    }

    [Fact]
    public void An_input_of_rank_5_is_refused()
    {
        var ex = Refuse(new TorchStyleGraph(13, seed: 8, [1, 2, 8, 8]).Relu().Finish(3));
        Assert.Equal("input 'input.1': rank 5; PotNet imports inputs [N, F], [N, H, W] or [N, C, H, W]", ex.Message);
    }

    [Theory]
    [InlineData(13, 0f, "reflect", null, "node '/Pad_0' (Pad): mode 'reflect' is not supported: PotNet folds a Pad into the convolution after it only when it pads with zeros")]
    [InlineData(13, 0.5f, "constant", null, "node '/Pad_0' (Pad): it pads with 0.5; PotNet folds a Pad into the convolution after it only when it pads with zeros")]
    [InlineData(9, 0.5f, "constant", null, "node '/Pad_0' (Pad): it pads with 0.5; PotNet folds a Pad into the convolution after it only when it pads with zeros")]
    [InlineData(13, 0f, "constant", new long[] { 0, 0, 1, 0, 0, 0, 1, 0 }, "node '/Pad_0' (Pad): pads [0, 0, 1, 0, 0, 0, 1, 0]: PotNet folds a Pad into a convolution only when it pads H and W alike on all four sides, and N and C not at all")]
    public void A_pad_that_is_not_zeros_on_every_side_is_refused(int opset, float value, string mode, long[]? pads, string message)
    {
        var ex = Refuse(new TorchStyleGraph(opset, seed: 9, 1, 8, 8).Pad(1, value, mode, pads).Conv("conv1", 1, 2, 3).Relu().Flatten().Gemm("fc", 2 * 6 * 6, 3).Finish(3));
        Assert.StartsWith(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pad_before_a_pool_is_refused()
    {
        var ex = Refuse(new TorchStyleGraph(13, seed: 10, 1, 8, 8).Conv("conv1", 1, 2, 3).Relu().Pad(1).MaxPool(2, 2).Flatten().Gemm("fc", 2 * 4 * 4, 3).Finish(3));
        Assert.Equal("node '/Pad_2' (Pad): PotNet folds a zero Pad only into a convolution that alone reads it, right after it", ex.Message);
    }
}
