using PotNet.Engines;
using PotNet.Formats;
using PotNet.Model;

namespace PotNet.Tests.Model;

/// <summary>Grouped and depthwise convolutions: the geometry, its checks, the accumulator bound and a hand-worked inference.</summary>
public class GroupedConvolutionTests
{
    [Fact]
    public void A_depthwise_geometry_reads_one_input_channel_per_output()
    {
        var geometry = new ConvGeometry(4, 8, 3, 3, 1, 1, Groups: 4);
        Assert.Equal((1, 2, 9), (geometry.InChannelsPerGroup, geometry.OutChannelsPerGroup, geometry.FanIn));
        Assert.Equal([8, 1, 3, 3], geometry.WeightShape);
        Assert.Equal([0, 0, 1, 1, 2, 2, 3, 3], Enumerable.Range(0, 8).Select(geometry.GroupOf));
        Assert.Equal(3, geometry.InputChannelOf(3, 8));
    }

    [Fact]
    public void The_gather_table_has_a_block_per_group_reading_its_channels()
    {
        // Two groups of two channels over a 1x1 image with a 1x1 kernel: group 0 reads CHW 0 and 1, group 1 reads 2 and 3.
        var geometry = new ConvGeometry(4, 2, 1, 1, 1, 0, Groups: 2);
        Assert.Equal([0, 1, 2, 3], geometry.Gather(new Shape(4, 1, 1), new Shape(2, 1, 1)));
    }

    [Theory]
    [InlineData(3, 4, 2, "layer 'dw': groups: 2 does not divide in_channels 3")]
    [InlineData(4, 6, 4, "layer 'dw': groups: 4 does not divide out_channels 6")]
    [InlineData(4, 4, 0, "layer 'dw': groups: 0 must be at least 1")]
    public void Groups_that_do_not_divide_the_channels_are_refused_by_name(int inChannels, int outChannels, int groups, string message)
    {
        var geometry = new ConvGeometry(inChannels, outChannels, 1, 1, 1, 0, groups);
        var weights = TestModels.Weights(WeightFormat.Pot(4), outChannels, new int[outChannels]);
        var ex = Assert.Throws<PotNetException>(() => new Conv2d("dw", geometry, weights, new int[outChannels], null));
        Assert.Equal(message, ex.Message);
    }

    [Fact]
    public void Weights_are_out_by_in_over_groups()
    {
        var geometry = new ConvGeometry(4, 4, 3, 3, 1, 1, Groups: 4);
        var weights = TestModels.Weights(WeightFormat.Pot(4), 4, new int[4 * 4 * 9]);
        var ex = Assert.Throws<PotNetException>(() => new Conv2d("dw", geometry, weights, new int[4], null));
        Assert.Equal("layer 'dw': weights.codes: 144 codes, expected 4 x 9 = 36", ex.Message);
    }

    [Fact]
    public void The_accumulator_bound_of_each_channel_is_over_its_own_fan_in()
    {
        // Depthwise, 2 channels, 1x1 kernel: channel 0 weight 4, channel 1 weight -2, biases 1 and 0:
        // [1, 4*255 + 1] and [-2*255, 0], whose union is [-510, 1021].
        var geometry = new ConvGeometry(2, 2, 1, 1, 1, 0, Groups: 2);
        var conv = new Conv2d("dw", geometry, TestModels.Weights(WeightFormat.Uniform(8), 2, [4, -2]), [1, 0], null);
        Assert.Equal(new AccumulatorBound(-510, 1021), conv.Accumulator);

        // 66,311 products of 127 x 255 fit int32 (see ModelValidationTests): two groups of 40,000 inputs
        // each fit, though 80,000 products in one sum would not.
        var wide = new ConvGeometry(80_000, 2, 1, 1, 1, 0, Groups: 2);
        var top = TestModels.Weights(WeightFormat.Uniform(8), 2, Enumerable.Repeat(127, 80_000).ToArray());
        Assert.True(new Conv2d("wide", wide, top, [0, 0], null).Accumulator.FitsInt32);
    }

    [Fact]
    public void A_hand_worked_depthwise_layer_gives_its_logits()
    {
        // Input 2 channels of 2x2: [1 2; 3 4] and [5 6; 7 8]. Depthwise 2x2 kernel, no padding: one
        // position; channel 0 weights all 1 (sum 10), channel 1 weights [1 0; 0 -1] (5 - 8 = -3), biases 100, 0.
        var geometry = new ConvGeometry(2, 2, 2, 2, 1, 0, Groups: 2);
        var conv = new Conv2d("dw", geometry, TestModels.Weights(WeightFormat.Uniform(8), 2, [1, 1, 1, 1, 1, 0, 0, -1]), [100, 0], null);
        var model = new QuantizedModel(new Shape(2, 2, 2), [conv]);
        Assert.Equal([110, -3], new ReferenceEngine(model).Infer([1, 2, 3, 4, 5, 6, 7, 8]));
    }
}
