using PotNet.Engines;
using PotNet.Float;
using PotNet.Formats;
using PotNet.Model;
using PotNet.Quantization;

namespace PotNet.Tests.Quantization;

public class QuantizerTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Eight_bit_uniform_quantisation_tracks_the_float_logits(bool perChannel, bool depthwise)
    {
        FloatModel model = depthwise ? DepthwiseFloatModel(new Random(7)) : RandomFloatModel(new Random(3));
        byte[][] images = Images(new Random(4), 64);
        QuantizedModel q = Quantizer.Quantize(model, new QuantizeOptions { Format = WeightFormat.Uniform(8), PerChannel = perChannel }, images.Select(i => (ReadOnlyMemory<byte>)i));
        Assert.Equal(depthwise ? [1, 4, 1, 1, 1] : [1, 1, 1], q.ComputeLayers.Select(l => l.Geometry.Groups));
        var engine = new ReferenceEngine(q);
        var fl = new FloatEngine(model);
        var last = (ComputeLayer)q.Layers[^1];
        int fIn = q.Plan[^1].InputExponent;
        foreach (byte[] image in images)
        {
            double[] expected = fl.Infer(image);
            int[] logits = engine.Infer(image);
            double range = expected.Max() - expected.Min();
            for (int c = 0; c < logits.Length; c++)
            {
                double real = Math.ScaleB(logits[c], -(fIn + last.Weights.ScaleExponent(c)));
                Assert.InRange(real - expected[c], -0.1 * range, 0.1 * range);
            }
        }
    }

    [Fact]
    public void Bias_correction_removes_the_mean_error_of_power_of_two_weights()
    {
        FloatModel model = RandomFloatModel(new Random(12));
        byte[][] images = Images(new Random(13), 200);
        double MeanLogitError(bool correct)
        {
            var options = new QuantizeOptions { Format = WeightFormat.Pot(3), BiasCorrection = correct };
            QuantizedModel q = Quantizer.Quantize(model, options, images.Select(i => (ReadOnlyMemory<byte>)i));
            var engine = new ReferenceEngine(q);
            var fl = new FloatEngine(model);
            int scale = q.Plan[^1].InputExponent + ((ComputeLayer)q.Layers[^1]).Weights.ScaleExponent(0);
            // The signed error averaged over images, per logit: what a systematic drift shows as.
            var sums = new double[5];
            foreach (byte[] image in images)
            {
                double[] expected = fl.Infer(image);
                int[] logits = engine.Infer(image);
                for (int c = 0; c < 5; c++) sums[c] += Math.ScaleB(logits[c], -scale) - expected[c];
            }

            return sums.Sum(s => Math.Abs(s)) / images.Length;
        }

        Assert.True(MeanLogitError(true) < MeanLogitError(false) / 2, $"{MeanLogitError(true)} vs {MeanLogitError(false)}");
    }

    [Fact]
    public void Bias_correction_of_a_depthwise_layer_uses_each_channels_own_inputs()
    {
        // Channel 0 always reads 255, channel 1 always 0; both weights 0.3, which pot4 cannot hold.
        // Corrected with its own mean, each logit equals the float one to the bias's rounding; with the
        // other channel's mean, logit 1 would move by (0.3 - q) * 255/256.
        var model = new FloatModel(new Shape(2, 1, 1), [new FloatComputeLayer("dw", new ConvGeometry(2, 2, 1, 1, 1, 0, Groups: 2), [0.3f, 0.3f], [0f, 0f], relu: false)]);
        byte[][] images = [[255, 0]];
        QuantizedModel q = Quantizer.Quantize(model, new QuantizeOptions { Format = WeightFormat.Pot(4) }, images.Select(i => (ReadOnlyMemory<byte>)i));
        var layer = (ComputeLayer)q.Layers[0];
        int scale = q.Plan[0].InputExponent + layer.Weights.ScaleExponent(0);
        Assert.NotEqual(0.3, Math.ScaleB(layer.DecodeWeights()[1], -layer.Weights.ScaleExponent(1)), 3);
        int[] logits = new ReferenceEngine(q).Infer(images[0]);
        double[] expected = new FloatEngine(model).Infer(images[0]);
        for (int c = 0; c < 2; c++) Assert.InRange(Math.ScaleB(logits[c], -scale) - expected[c], -Math.ScaleB(1, -scale), Math.ScaleB(1, -scale));
        Assert.Equal(0, logits[1]);
    }

    [Fact]
    public void Output_exponents_put_the_largest_calibration_activation_in_the_top_octave_of_u8()
    {
        FloatModel model = RandomFloatModel(new Random(5));
        byte[][] images = Images(new Random(6), 32);
        QuantizedModel q = Quantizer.Quantize(model, new QuantizeOptions { Format = WeightFormat.Pot(4) }, images.Select(i => (ReadOnlyMemory<byte>)i));
        var maxima = new double[model.Layers.Count];
        var fl = new FloatEngine(model);
        foreach (byte[] image in images)
        {
            double[][] outputs = fl.Outputs(image);
            for (int i = 0; i < maxima.Length; i++) maxima[i] = Math.Max(maxima[i], outputs[i].Max());
        }

        for (int i = 0; i < q.Layers.Count - 1; i++)
        {
            if (q.Layers[i] is not ComputeLayer layer) continue;
            double scaled = Math.ScaleB(maxima[i], layer.OutputExponent!.Value);
            Assert.InRange(scaled, 127.5, 255);
        }
    }

    [Fact]
    public void Per_channel_scales_follow_each_channels_range()
    {
        // Channel 0's weights are 64 times channel 1's: their exponents differ by 6.
        float[] weights = [1f, -0.5f, 0.25f, 1f / 64, -0.5f / 64, 0.25f / 64];
        var layer = FloatComputeLayer.Dense("fc", 3, 2, weights, [0f, 0f], relu: true);
        var model = new FloatModel(new Shape(3, 1, 1), [layer, FloatComputeLayer.Dense("out", 2, 1, [1f, 1f], [0f], relu: false)]);
        QuantizedModel q = Quantizer.Quantize(model, new QuantizeOptions { Format = WeightFormat.Pot(4), PerChannel = true }, [new byte[] { 1, 2, 3 }]);
        var dense = (ComputeLayer)q.Layers[0];
        Assert.Equal(6, dense.Weights.ScaleExponent(1) - dense.Weights.ScaleExponent(0));
        Int128[] levels = dense.Weights.Levels();
        for (int i = 0; i < weights.Length; i++)
        {
            Assert.Equal(weights[i], Math.ScaleB((double)levels[i], -dense.Weights.ScaleExponent(i / 3)), 6);
        }
    }

    [Theory]
    [InlineData("pot8")]
    [InlineData("apot8")]
    [InlineData("pot6")]
    public void Wide_formats_choose_a_scale_whose_accumulator_fits_int32(string format)
    {
        FloatModel model = RandomFloatModel(new Random(7));
        QuantizedModel q = Quantizer.Quantize(model, new QuantizeOptions { Format = WeightFormat.Parse(format) }, Images(new Random(8), 8).Select(i => (ReadOnlyMemory<byte>)i));
        Assert.All(q.ComputeLayers, l => Assert.True(l.Accumulator.FitsInt32));
    }

    [Fact]
    public void Layer_formats_override_the_default()
    {
        FloatModel model = RandomFloatModel(new Random(9));
        var options = new QuantizeOptions { Format = WeightFormat.Pot(4), LayerFormats = new Dictionary<string, WeightFormat> { ["fc2"] = WeightFormat.Uniform(8) } };
        QuantizedModel q = Quantizer.Quantize(model, options, Images(new Random(10), 4).Select(i => (ReadOnlyMemory<byte>)i));
        Assert.Equal(["pot4", "pot4", "uniform8"], q.ComputeLayers.Select(l => l.Weights.Format.Name));
    }

    [Fact]
    public void A_hidden_layer_without_relu_is_refused()
    {
        var model = new FloatModel(new Shape(2, 1, 1),
            [FloatComputeLayer.Dense("a", 2, 2, [1, 0, 0, 1], [0, 0], relu: false), FloatComputeLayer.Dense("b", 2, 2, [1, 0, 0, 1], [0, 0], relu: false)]);
        var ex = Assert.Throws<PotNetException>(() => Quantizer.Quantize(model, new QuantizeOptions { Format = WeightFormat.Pot(4) }, [new byte[2]]));
        Assert.Contains("layer 'a': relu", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_logits_layer_with_relu_is_refused()
    {
        var model = new FloatModel(new Shape(2, 1, 1), [FloatComputeLayer.Dense("out", 2, 2, [1, 0, 0, 1], [0, 0], relu: true)]);
        var ex = Assert.Throws<PotNetException>(() => Quantizer.Quantize(model, new QuantizeOptions { Format = WeightFormat.Pot(4) }, [new byte[2]]));
        Assert.Contains("layer 'out': relu", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>conv 3x3 (4 channels), max pool, flatten, dense 36->8, dense 8->5 over 1x8x8 images, He-initialised.</summary>
    /// <summary>conv 3x3 1 -> 4, depthwise 3x3 (padded, with padding values), pointwise 1x1, pool, two dense layers.</summary>
    internal static FloatModel DepthwiseFloatModel(Random random)
    {
        float[] Init(int n, int fanIn) => Enumerable.Range(0, n).Select(_ => (float)(Normal(random) * Math.Sqrt(2.0 / fanIn))).ToArray();
        float[] Bias(int n) => Enumerable.Range(0, n).Select(_ => (float)(0.05 * Normal(random))).ToArray();
        return new FloatModel(new Shape(1, 8, 8),
        [
            new FloatComputeLayer("conv", new ConvGeometry(1, 4, 3, 3, 1, 0), Init(36, 9), Bias(4), relu: true),
            new FloatComputeLayer("dw", new ConvGeometry(4, 4, 3, 3, 1, 1, Groups: 4), Init(36, 9), Bias(4), relu: true, paddingValues: [0.1, 0.2, 0.3, 0.4]),
            new FloatComputeLayer("pw", new ConvGeometry(4, 4, 1, 1, 1, 0), Init(16, 4), Bias(4), relu: true),
            new MaxPool2d("pool", 2, 2),
            new Flatten("flatten"),
            FloatComputeLayer.Dense("fc1", 36, 8, Init(288, 36), Bias(8), relu: true),
            FloatComputeLayer.Dense("fc2", 8, 5, Init(40, 8), Bias(5), relu: false),
        ]);
    }

    internal static FloatModel RandomFloatModel(Random random)
    {
        float[] Init(int n, int fanIn) => Enumerable.Range(0, n).Select(_ => (float)(Normal(random) * Math.Sqrt(2.0 / fanIn))).ToArray();
        float[] Bias(int n) => Enumerable.Range(0, n).Select(_ => (float)(0.05 * Normal(random))).ToArray();
        return new FloatModel(new Shape(1, 8, 8),
        [
            new FloatComputeLayer("conv", new ConvGeometry(1, 4, 3, 3, 1, 0), Init(36, 9), Bias(4), relu: true),
            new MaxPool2d("pool", 2, 2),
            new Flatten("flatten"),
            FloatComputeLayer.Dense("fc1", 36, 8, Init(288, 36), Bias(8), relu: true),
            FloatComputeLayer.Dense("fc2", 8, 5, Init(40, 8), Bias(5), relu: false),
        ]);
    }

    private static byte[][] Images(Random random, int count) => Enumerable.Range(0, count).Select(_ =>
    {
        var image = new byte[64];
        random.NextBytes(image);
        return image;
    }).ToArray();

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
