using PotNet.Engines;
using PotNet.Formats;
using PotNet.Model;

namespace PotNet.Tests.Engines;

public class ReferenceEngineTests
{
    [Fact]
    public void Two_layer_perceptron_gives_the_hand_computed_logits()
    {
        // hidden: acc0 = 1 + 2*3 - 1*5 = 2 -> (2+1)>>1 = 1; acc1 = -3 + 4*3 + 1*5 = 14 -> (14+1)>>1 = 7
        //         (r = f_in + g - f_out = 8 + 0 - 7 = 1)
        // logits: [1*1 - 2*7, -1*1 + 1*7] = [-13, 6]
        var engine = new ReferenceEngine(TestModels.TinyMlp());
        Assert.Equal([-13, 6], engine.Infer([3, 5]));
        Assert.Equal(1, engine.Classify([3, 5]));
    }

    [Fact]
    public void Padded_convolution_sums_each_neighbourhood()
    {
        var conv = new Conv2d("conv", new ConvGeometry(1, 1, 3, 3, 1, 1), TestModels.Weights(WeightFormat.Pot(4), 1, Enumerable.Repeat(1, 9).ToArray()), [0], null);
        var engine = new ReferenceEngine(new QuantizedModel(new Shape(1, 3, 3), [conv]));
        Assert.Equal([12, 21, 16, 27, 45, 33, 24, 39, 28], engine.Infer([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    }

    [Fact]
    public void Strided_convolution_with_negative_weights()
    {
        // 1x4x4 input 0..15, kernel 2x2 stride 2 with weights [1, -2, 4, -8], bias 10.
        var conv = new Conv2d("conv", new ConvGeometry(1, 1, 2, 2, 2, 0), TestModels.Weights(WeightFormat.Pot(4), 1, [1, -2, 4, -8]), [10], null);
        var engine = new ReferenceEngine(new QuantizedModel(new Shape(1, 4, 4), [conv]));
        int Window(int a, int b, int c, int d) => 10 + a - 2 * b + 4 * c - 8 * d;
        Assert.Equal([Window(0, 1, 4, 5), Window(2, 3, 6, 7), Window(8, 9, 12, 13), Window(10, 11, 14, 15)], engine.Infer(Enumerable.Range(0, 16).Select(i => (byte)i).ToArray()));
    }

    [Fact]
    public void Pooling_takes_the_maximum_or_the_rounded_mean()
    {
        // 2x2 window over [1, 2, 4, 3]: max 4; mean 2.5 -> (10 + 2) >> 2 = 3, half up.
        foreach ((Layer pool, int expected) in new (Layer, int)[] { (new MaxPool2d("pool", 2, 2), 4), (new AvgPool2d("pool", 2, 2), 3) })
        {
            var model = new QuantizedModel(new Shape(1, 2, 2), [pool, new Flatten("flat"), TestModels.Dense("out", 1, 1, [1], [0], null)]);
            Assert.Equal([expected], new ReferenceEngine(model).Infer([1, 2, 4, 3]));
        }
    }

    [Fact]
    public void Argmax_takes_the_lowest_index_on_ties() => Assert.Equal(1, ReferenceEngine.ArgMax([-5, 7, 3, 7]));

    [Fact]
    public void Wrong_image_size_is_refused()
    {
        var engine = new ReferenceEngine(TestModels.TinyMlp());
        Assert.Throws<ArgumentException>(() => engine.Infer([1, 2, 3]));
    }
}
