using PotNet.Engines;
using PotNet.Engines.Fast;
using PotNet.Formats;
using PotNet.Model;

namespace PotNet.Tests.Engines;

public class FastEngineTests
{
    [Fact]
    public void Auto_picks_the_best_supported_path_and_a_forced_unsupported_path_is_refused()
    {
        Assert.Equal(FastPaths.Best, new FastEngine(TestModels.TinyMlp()).Path);
        Assert.True(FastPaths.IsSupported(FastPath.Vector) && FastPaths.IsSupported(FastPath.Scalar));
        foreach (FastPath path in FastPaths.Preference.Where(p => !FastPaths.IsSupported(p)))
        {
            var ex = Assert.Throws<PotNetException>(() => new FastEngine(TestModels.TinyMlp(), new FastEngineOptions { Path = path }));
            Assert.Contains($"path {path} is not supported", ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(FastPath.Avx2, new[] { 64, 64, -64, -64 }, 4)]
    [InlineData(FastPath.Avx2, new[] { 127, 1, -127, -1 }, 4)]
    [InlineData(FastPath.Avx2, new[] { 127, 2, 0, 0 }, 2)]
    [InlineData(FastPath.Avx512, new[] { -100, -100, 0, 0 }, 2)]
    [InlineData(FastPath.AvxVnni, new[] { 127, 127, -128, -128 }, 4)]
    [InlineData(FastPath.AvxVnni, new[] { 128, 0, 0, 0 }, 2)]
    [InlineData(FastPath.Avx2, new[] { 32767, -32768, 0, 0 }, 2)]
    [InlineData(FastPath.Avx512, new[] { 32768, 0, 0, 0 }, 1)]
    [InlineData(FastPath.Vector, new[] { 1, 0, 0, 0 }, 1)]
    [InlineData(FastPath.Scalar, new[] { 1, 0, 0, 0 }, 1)]
    public void The_unit_is_the_narrowest_that_sums_exactly(FastPath path, int[] weights, int unitSize) =>
        Assert.Equal((UnitKind)unitSize, PackedWeights.Choose(weights, [0, 1, 2, 3], 1, path));

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    public void Quad_units_pair_only_where_their_int16_sums_cannot_overflow(int sign)
    {
        // One channel of three units: units 0 and 2 each fill one int16 half to 255 * 128, so they pair; unit 1
        // would take unit 0's half one past it, and is left alone.
        int[] weights = [64, 64, 0, 0, 1, 0, 0, 0, 0, 0, 64, 64];
        for (int i = 0; i < weights.Length; i++) weights[i] *= sign;
        PackedWeights packed = PackedWeights.Pack(weights, [0], [.. Enumerable.Range(0, 12)], UnitKind.Quad, 1);
        Assert.Equal([0, 2, 1], packed.RowUnits);
        Assert.Equal([2], packed.PairedRows);
        Assert.Equal(new sbyte[] { 0, 0, (sbyte)(sign * 64), (sbyte)(sign * 64) }, BitConverter.GetBytes(packed.Units[1]).Select(b => (sbyte)b));
    }

    [Fact]
    public void Packing_pads_channels_and_the_reduction_with_zeros()
    {
        // Two channels of three weights, reduction order reversed, as quads for 16 lanes.
        PackedWeights packed = PackedWeights.Pack([1, -2, 3, 4, 5, -6], [7, 8], [2, 1, 0], UnitKind.Quad, 16);
        Assert.Equal((1, 16, 4), (packed.UnitRows, packed.Width, packed.Length));
        Assert.Equal(new sbyte[] { 3, -2, 1, 0 }, BitConverter.GetBytes(packed.Units[0]).Select(b => (sbyte)b));
        Assert.Equal(new sbyte[] { -6, 5, 4, 0 }, BitConverter.GetBytes(packed.Units[1]).Select(b => (sbyte)b));
        Assert.All(packed.Units[2..], u => Assert.Equal(0, u));
        Assert.Equal([7, 8, .. new int[14]], packed.Bias);
    }

    [Fact]
    public void A_convolution_over_one_input_channel_reads_its_units_from_the_input_plane()
    {
        // 5x5 kernels at stride 2 over a 9x9 image: 3x3 positions, a plane 9 bytes wide, kernel rows of two units.
        var geometry = new ConvGeometry(1, 2, 5, 5, 2, 0);
        var input = new Shape(1, 9, 9);
        GroupKernel pot = Kernel(geometry, input, WeightFormat.Pot(4), level: 64);
        Assert.Equal((UnitKind.Quad, 10), (pot.Weights.Kind, pot.Weights.UnitRows));
        Assert.Equal([0, 2, 4, 18, 20, 22, 36, 38, 40], pot.Plane!.Rows);
        Assert.Equal([0, 4, 9, 13, 18, 22, 27, 31, 36, 40], pot.Plane.Taps);
        Assert.Equal((9 * 9 + 4 + 3) / 4, pot.ColumnUnits);

        // Pairs of 127 saturate vpmaddubsw: int16 pairs, read from im2col rows.
        GroupKernel wide = Kernel(geometry, input, WeightFormat.Uniform(8), level: 127);
        Assert.Equal((UnitKind.Pair, null), (wide.Weights.Kind, wide.Plane));
    }

    [Fact]
    public void A_convolution_over_many_input_channels_reads_its_units_from_the_channels_last_plane()
    {
        // 3x3 kernels over 3 channels of 5x5: 3x3 positions, plane rows of 5 pixels x 3 channels = 15 bytes,
        // a kernel row's 9 bytes (taps, then channels) in 3 units, the last padded with a zero weight.
        var geometry = new ConvGeometry(3, 2, 3, 3, 1, 0);
        GroupKernel pot = Kernel(geometry, new Shape(3, 5, 5), WeightFormat.Pot(4), level: 64);
        Assert.Equal((UnitKind.Quad, 9), (pot.Weights.Kind, pot.Weights.UnitRows));
        Assert.Equal([0, 3, 6, 15, 18, 21, 30, 33, 36], pot.Plane!.Rows);
        Assert.Equal([0, 4, 8, 15, 19, 23, 30, 34, 38], pot.Plane.Taps);
        Assert.Equal((5 * 15 + 4 + 3) / 4, pot.ColumnUnits);

        // A dense layer (one position) keeps its im2col row, which the batched tail gathers.
        GroupKernel dense = Kernel(new ConvGeometry(3, 2, 5, 5, 1, 0), new Shape(3, 5, 5), WeightFormat.Pot(4), level: 64);
        Assert.Null(dense.Plane);
    }

    private static GroupKernel Kernel(ConvGeometry geometry, Shape input, WeightFormat format, int level)
    {
        int code = Enumerable.Range(0, 1 << format.Bits).First(c => format.IsValidCode(c) && format.Decode(c) == level);
        var weights = new QuantizedWeights(format, geometry.OutChannels, [.. Enumerable.Repeat((byte)code, geometry.OutChannels * geometry.FanIn)], [0]);
        var conv = new Conv2d("conv", geometry, weights, new int[geometry.OutChannels], 8);
        Shape output = conv.OutputShape(input);
        return GroupKernel.Create(conv, 0, geometry.Gather(input, output), conv.DecodeWeights(), output, [.. Enumerable.Range(0, output.Height * output.Width)], FastPath.Avx2);
    }

    [Fact]
    public void The_dense_layers_that_end_a_network_run_batched_and_no_other_layer_does()
    {
        static string[] Batched(QuantizedModel model, int imageBytes)
        {
            var engine = new FastEngine(model);
            return [.. engine.Profile(new byte[imageBytes]).Steps.OfType<ComputeStep>().Where(s => s.Batched).Select(s => s.Name)];
        }

        Assert.Equal(["hidden", "logits"], Batched(TestModels.TinyMlp(), 2));
        Assert.Equal(["fc"], Batched(TestModels.SmallCnn(WeightFormat.Pot(4)), 64));
        // A dense layer after a residual add runs batched; the convolutions with many positions do not.
        Assert.Equal(["fc"], Batched(TestModels.ResidualCnn(WeightFormat.Pot(4)), 64));
    }

    [Fact]
    public void A_max_pool_runs_in_the_epilogue_of_the_convolution_it_alone_reads()
    {
        static string[] Steps(QuantizedModel model, int imageBytes, FastPath path) =>
            [.. new FastEngine(model, new FastEngineOptions { Path = path }).Profile(new byte[imageBytes]).Steps.Select(s => s.Name)];

        // The average pool keeps its step: its mean of requantised bytes is not a function of the sums' mean.
        Assert.Equal(["conv+pool", "avg", "fc"], Steps(TestModels.SmallCnn(WeightFormat.Pot(4)), 64, FastPath.Auto));
        // Without vectors the sums are requantised after the product, so there is no epilogue to pool in.
        Assert.Equal(["conv", "pool", "avg", "fc"], Steps(TestModels.SmallCnn(WeightFormat.Pot(4)), 64, FastPath.Scalar));
        // The pool's output is read by two steps, but the convolution's only by the pool.
        Assert.Equal(["conv+pool", "block", "add", "side", "join", "fc"], Steps(TestModels.ResidualCnn(WeightFormat.Pot(4)), 64, FastPath.Auto));
    }

    [Theory]
    [InlineData(FastPath.Auto)]
    [InlineData(FastPath.Vector)]
    [InlineData(FastPath.Scalar)]
    public void Inference_allocates_nothing_once_warm(FastPath path)
    {
        QuantizedModel model = TestModels.SmallCnn(WeightFormat.Pot(4));
        var engine = new FastEngine(model, new FastEngineOptions { Path = path });
        byte[] image = RandomNetworks.Image(model, 3);
        var logits = new int[model.ClassCount];
        engine.Infer(image, logits);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            engine.Infer(image, logits);
            engine.Classify(image);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void Wrong_sizes_are_refused()
    {
        var engine = new FastEngine(TestModels.TinyMlp());
        Assert.Throws<ArgumentException>(() => engine.Infer(new byte[3], new int[2]));
        Assert.Throws<ArgumentException>(() => engine.Infer(new byte[2], new int[3]));
        Assert.Throws<ArgumentException>(() => engine.InferBatch(new byte[5], new int[4]));
        Assert.Throws<ArgumentException>(() => engine.ClassifyBatch(new byte[4], new int[1]));
        Assert.Throws<PotNetException>(() => new FastEngine(TestModels.TinyMlp(), new FastEngineOptions { Threads = 0 }));
    }
}
