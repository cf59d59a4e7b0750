using PotNet.Formats;
using PotNet.Model;

namespace PotNet.Tests.Model;

public class ModelValidationTests
{
    // uniform8's largest level is 127 and inputs reach 255: each product up to 32,385, so 66,311
    // products fit int32 (2,147,481,735) and 66,312 do not.
    [Fact]
    public void A_layer_at_the_int32_bound_is_accepted()
    {
        var layer = Saturated("fits", 66_311);
        Assert.Equal(32, layer.Accumulator.Bits);
        Assert.True(layer.Accumulator.FitsInt32);
    }

    [Fact]
    public void A_layer_one_product_past_the_int32_bound_is_refused_by_name()
    {
        var ex = Assert.Throws<PotNetException>(() => Saturated("too_wide", 66_312));
        Assert.Contains("layer 'too_wide'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("33 bits", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Padding_values_need_one_per_input_channel_and_a_padded_layer()
    {
        var weights = TestModels.Weights(WeightFormat.Pot(4), 1, Enumerable.Repeat(1, 18).ToArray());
        var wrongCount = Assert.Throws<PotNetException>(() => new Conv2d("conv", new ConvGeometry(2, 1, 3, 3, 1, 1), weights, [0], null, [1]));
        Assert.Equal("layer 'conv': padding_value: 1 values, expected one per input channel (2)", wrongCount.Message);
        var unpadded = Assert.Throws<PotNetException>(() => new Conv2d("conv", new ConvGeometry(2, 1, 3, 3, 1, 0), weights, [0], null, [1, 2]));
        Assert.Equal("layer 'conv': padding_value: the layer has no padding", unpadded.Message);
    }

    [Fact]
    public void A_bias_can_push_the_accumulator_over()
    {
        var ex = Assert.Throws<PotNetException>(() => Saturated("biased", 66_311, bias: 2000));
        Assert.Contains("layer 'biased'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Accumulator_bits_follow_the_actual_weights()
    {
        // weights [4, -2]: range [-2*255, 4*255] = [-510, 1020]: 11 bits (two's complement to 1023)
        var layer = TestModels.Dense("fc", 2, 1, [4, -2], [0], null);
        Assert.Equal(new AccumulatorBound(-510, 1020), layer.Accumulator);
        Assert.Equal(11, layer.Accumulator.Bits);
    }

    [Fact]
    public void The_last_layer_must_output_logits()
    {
        var ex = Assert.Throws<PotNetException>(() => new QuantizedModel(new Shape(2, 1, 1), [TestModels.Dense("fc", 2, 2, [1, 1, 1, 1], [0, 0], 5)]));
        Assert.Contains("'fc'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("output_exponent", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<PotNetException>(() => new QuantizedModel(new Shape(1, 2, 2), [new MaxPool2d("pool", 2, 2)]));
        Assert.Contains("'pool'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Logits_must_share_one_scale()
    {
        var weights = new QuantizedWeights(WeightFormat.Pot(4), 2, [0, 0, 0, 0], [3, 4]);
        var ex = Assert.Throws<PotNetException>(() => new QuantizedModel(new Shape(2, 1, 1), [new Dense("out", 2, 2, weights, [0, 0], null)]));
        Assert.Contains("layer 'out': weights.scale_exponents", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Hidden_layers_need_an_output_exponent()
    {
        var ex = Assert.Throws<PotNetException>(() => new QuantizedModel(new Shape(2, 1, 1),
            [TestModels.Dense("a", 2, 2, [1, 1, 1, 1], [0, 0], null), TestModels.Dense("b", 2, 2, [1, 1, 1, 1], [0, 0], null)]));
        Assert.Contains("layer 'a'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Shapes_must_chain()
    {
        var ex = Assert.Throws<PotNetException>(() => new QuantizedModel(new Shape(3, 1, 1), [TestModels.Dense("fc", 2, 2, [1, 1, 1, 1], [0, 0], null)]));
        Assert.Contains("layer 'fc': in_channels", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<PotNetException>(() => new QuantizedModel(new Shape(2, 2, 2), [TestModels.Dense("fc", 2, 2, [1, 1, 1, 1], [0, 0], null)]));
        Assert.Contains("flatten", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Average_pooling_needs_a_power_of_two_window()
    {
        var ex = Assert.Throws<PotNetException>(() => new AvgPool2d("avg", 3, 3));
        Assert.Contains("layer 'avg': kernel", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_names_are_refused()
    {
        var ex = Assert.Throws<PotNetException>(() => new QuantizedModel(new Shape(1, 2, 2),
            [new MaxPool2d("x", 1, 1), new Flatten("x"), TestModels.Dense("fc", 4, 1, [1, 1, 1, 1], [0], null)]));
        Assert.Contains("layer 'x'", ex.Message, StringComparison.Ordinal);
    }

    private static Dense Saturated(string name, int fanIn, int bias = 0) =>
        TestModels.Dense(name, fanIn, 1, Enumerable.Repeat(127, fanIn).ToArray(), [bias], null, WeightFormat.Uniform(8));
}
