using CsCheck;
using PotNet.Onnx.Proto;

namespace PotNet.Onnx.Tests;

/// <summary>Each kind of bad file gets one clear PotNetException; mutated files never crash the reader.</summary>
public sealed class ImportErrorTests
{
    private static TorchStyleGraph Small(int opset = 17) => new TorchStyleGraph(opset, seed: 9, 1, 8, 8).Conv("conv1", 1, 2, 3).Relu();

    [Fact]
    public void An_unsupported_operator_names_the_node_the_type_and_both_supported_lists()
    {
        var graph = Small();
        byte[] onnx = graph.Op("Einsum", "/x/Einsum", [graph.Current]).Flatten().Gemm("fc", 72, 3).Finish(3);
        var ex = Assert.Throws<PotNetException>(() => OnnxImport.Read(onnx));
        Assert.Equal($"node '/x/Einsum' (Einsum): operator Einsum is not supported; PotNet imports {string.Join(", ", OnnxImport.ActivationOperators)} on activations, and {string.Join(", ", OnnxImport.ConstantOperators)} on constants", ex.Message);
        Assert.DoesNotContain("already quantised", ex.Message, StringComparison.Ordinal);
        Assert.Empty(OnnxImport.ActivationOperators.Intersect(OnnxImport.ConstantOperators));
    }

    [Theory]
    [InlineData("Sigmoid")]
    [InlineData("Tanh")]
    [InlineData("Gelu")]
    [InlineData("LeakyRelu")]
    public void An_activation_potnet_cannot_express_is_named_with_the_layer_it_follows(string activation)
    {
        var graph = Small();
        byte[] onnx = graph.Conv("conv2", 2, 2, 1).Op(activation, $"/act/{activation}", [graph.Current]).Flatten().Gemm("fc", 72, 3).Finish(3);
        var ex = Assert.Throws<PotNetException>(() => OnnxImport.Read(onnx));
        Assert.Equal($"node '/act/{activation}' ({activation}): the activation {activation} after layer 'conv2' (Conv) cannot be expressed: PotNet's hidden layers end in a ReLU (they requantise to u8, which clamps at 0), so the only activation it imports is Relu", ex.Message);
    }

    [Fact]
    public void A_gelu_as_the_old_exporter_writes_it_names_its_erf_and_the_layer_through_the_division()
    {
        var graph = new TorchStyleGraph(13, seed: 9, 1, 8, 8).Conv("conv1", 1, 2, 3);
        string x = graph.Current;
        graph.Elementwise("Div", 1.4142135f).Op("Erf", "/act/Erf", [graph.Current]);
        var ex = Assert.Throws<PotNetException>(() => OnnxImport.Read(graph.Op("Mul", "/act/Mul", [graph.Current, x]).Flatten().Gemm("fc", 72, 3).Finish(3)));
        Assert.StartsWith("node '/act/Erf' (Erf): the activation Erf after layer 'conv1' (Conv) cannot be expressed", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Gather")]
    [InlineData("Concat")]
    [InlineData("Slice")]
    public void A_shape_operator_on_the_activation_is_named_as_foldable_on_constants_only(string opType)
    {
        var graph = Small();
        var ex = Assert.Throws<PotNetException>(() => OnnxImport.Read(graph.Op(opType, $"/x/{opType}", [graph.Current]).Flatten().Gemm("fc", 72, 3).Finish(3)));
        Assert.Equal($"node '/x/{opType}' ({opType}): PotNet evaluates {opType} only on constants (shape computations: {string.Join(", ", OnnxImport.ConstantOperators)}), and its input '/Relu_1_output_0' is an activation", ex.Message);
        Assert.DoesNotContain("not supported", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quantised_model_is_refused_with_a_hint_to_import_its_float_model()
    {
        byte[] onnx = Small().Op("QuantizeLinear", "/q/QuantizeLinear", [Small().Current]).Flatten().Gemm("fc", 72, 3).Finish(3);
        var ex = Assert.Throws<PotNetException>(() => OnnxImport.Read(onnx));
        Assert.Contains("operator QuantizeLinear is not supported", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("This model is already quantised: import the float model it came from, and PotNet quantises it", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_operator_of_another_domain_is_unsupported()
    {
        var graph = Small();
        graph.Op("FusedConv", "/x/FusedConv", [graph.Current]);
        graph.Graph.Graph.Node[^1].Domain = "com.microsoft";
        var ex = Assert.Throws<PotNetException>(() => OnnxImport.Read(graph.Flatten().Gemm("fc", 72, 3).Finish(3)));
        Assert.Contains("operator com.microsoft.FusedConv is not supported", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void External_data_is_refused()
    {
        var graph = Small();
        byte[] onnx = graph.Flatten().Gemm("fc", 72, 3).Finish(3);
        var model = ModelProto.Parser.ParseFrom(onnx);
        TensorProto weight = model.Graph.Initializer.First(t => t.Name == "fc.weight");
        weight.RawData = Google.Protobuf.ByteString.Empty;
        weight.DataLocation = TensorProto.Types.DataLocation.External;
        weight.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        var ex = Assert.Throws<PotNetException>(() => OnnxImport.Read(Google.Protobuf.MessageExtensions.ToByteArray(model)));
        Assert.Contains("initializer 'fc.weight': its data is stored in an external file", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dynamic_dimension_other_than_the_batch_is_refused()
    {
        var model = ModelProto.Parser.ParseFrom(Small().Flatten().Gemm("fc", 72, 3).Finish(3));
        model.Graph.Input[0].Type.TensorType.Shape.Dim[2] = new TensorShapeProto.Types.Dimension { DimParam = "height" };
        var ex = Assert.Throws<PotNetException>(() => OnnxImport.Read(Google.Protobuf.MessageExtensions.ToByteArray(model)));
        Assert.Equal("input 'input.1': dimension 2 is the dynamic size 'height'; only the batch (dimension 0) may be dynamic, the others must be fixed sizes from 1 to 16777216", ex.Message);
    }

    [Fact]
    public void A_malformed_protobuf_is_refused()
    {
        byte[] onnx = Small().Flatten().Gemm("fc", 72, 3).Finish(3);
        var ex = Assert.Throws<PotNetException>(() => OnnxImport.Read(onnx.AsSpan(0, onnx.Length / 2)));
        Assert.StartsWith("not a valid ONNX file (malformed protobuf", ex.Message, StringComparison.Ordinal);
        Assert.Throws<PotNetException>(() => OnnxImport.Read("not an onnx file at all"u8));
    }

    [Fact]
    public void A_missing_initializer_is_refused()
    {
        var model = ModelProto.Parser.ParseFrom(Small().Flatten().Gemm("fc", 72, 3).Finish(3));
        model.Graph.Initializer.Remove(model.Graph.Initializer.First(t => t.Name == "conv1.weight"));
        var ex = Assert.Throws<PotNetException>(() => OnnxImport.Read(Google.Protobuf.MessageExtensions.ToByteArray(model)));
        Assert.Equal("node '/conv1/Conv' (Conv): input 'conv1.weight' is not defined: no initializer, Constant node or earlier node produces it (a missing initializer?)", ex.Message);
    }

    [Theory]
    [InlineData(8)]
    [InlineData(22)]
    public void Opsets_outside_9_to_21_are_refused(int opset)
    {
        var ex = Assert.Throws<PotNetException>(() => OnnxImport.Read(Small(opset).Flatten().Gemm("fc", 72, 3).Finish(3)));
        Assert.Equal($"opset {opset} is not supported (PotNet reads opsets 9 to 21)", ex.Message);
    }

    [Fact]
    public void A_global_average_pool_over_a_window_that_is_not_a_power_of_two_is_refused()
    {
        byte[] onnx = new TorchStyleGraph(13, seed: 1, 1, 9, 9).Conv("conv1", 1, 4, 3).Relu().GlobalAveragePool().Flatten().Gemm("fc", 4, 3).Finish(3);
        var ex = Assert.Throws<PotNetException>(() => OnnxImport.Read(onnx));
        Assert.Contains("(GlobalAveragePool): the input is 7x7; PotNet averages only square power-of-two windows", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_branch_that_adds_a_layer_without_relu_is_refused()
    {
        var graph = Small();
        string branch = graph.Current;
        graph.Conv("conv2", 2, 2, 1).Op("Add", "/residual/Add", [graph.Current, branch]);
        var ex = Assert.Throws<PotNetException>(() => OnnxImport.Read(graph.Flatten().Gemm("fc", 72, 3).Finish(3)));
        Assert.Contains("(Add): it adds '/conv2/Conv_output_0' (layer 'conv2'), which can be negative", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Mutated_files_never_crash_the_reader()
    {
        byte[] valid = new TorchStyleGraph(13, seed: 3, 1, 8, 8, constantNodes: true)
            .Conv("conv1", 1, 2, 3, padding: 1).BatchNorm("bn", 2).Relu().MaxPool(2, 2).ViewBatchMinusOne().MatMulAdd("fc", 32, 4).Softmax().Finish(4);
        Gen.Select(Gen.Int[0, valid.Length - 1].Array[1, 8], Gen.Byte.Array[8], Gen.Int[1, valid.Length]).Sample((positions, values, length) =>
        {
            byte[] bytes = valid[..length];
            for (int i = 0; i < positions.Length; i++)
            {
                if (positions[i] < bytes.Length) bytes[positions[i]] = values[i];
            }

            try
            {
                OnnxImport.Read(bytes);
            }
            catch (PotNetException)
            {
                // The one allowed failure.
            }
        }, iter: 10000);
    }
}
