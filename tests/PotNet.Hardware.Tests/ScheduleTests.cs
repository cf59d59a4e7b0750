using CsCheck;
using PotNet.Engines;
using PotNet.Formats;
using PotNet.Model;

namespace PotNet.Hardware.Tests;

public class ScheduleTests
{
    private static readonly PeKind[] Kinds = [PeKind.Bac, PeKind.Mac, PeKind.Apot];

    internal static WeightFormat FormatFor(PeKind pe, int bits) => pe switch
    {
        PeKind.Bac => WeightFormat.Pot(bits),
        PeKind.Mac => WeightFormat.Uniform(bits),
        PeKind.Apot => WeightFormat.Apot(bits),
    };

    private static readonly Gen<(int Seed, PeKind Pe, int Bits, AcceleratorConfig Config)> Designs =
        Gen.Select(Gen.Int, Gen.Int[0, 2], Gen.Int[2, 8], Gen.Int[1, 5], Gen.Int[1, 7], Gen.Bool)
            .Select((seed, kind, bits, p, l, gating) => (seed, Kinds[kind], bits, new AcceleratorConfig(Kinds[kind], p, l, gating)));

    [Fact]
    public void TheRomTablesAndBanksComputeWhatTheReferenceEngineComputes()
    {
        Designs.Sample(d =>
        {
            QuantizedModel model = HardwareNetworks.Create(d.Seed, FormatFor(d.Pe, d.Bits));
            var schedule = Schedule.Create(model, d.Config);
            var engine = new ReferenceEngine(model);
            foreach (var image in HardwareNetworks.Images(model, 3, d.Seed))
            {
                Assert.Equal(engine.Infer(image.Span), ScheduleEmulator.Infer(schedule, image.Span));
            }
        }, iter: 150);
    }

    [Fact]
    public void AddressTablesAreGatherAndWindowsLaidOutInLanes()
    {
        Designs.Sample(d =>
        {
            var schedule = Schedule.Create(HardwareNetworks.Create(d.Seed, FormatFor(d.Pe, d.Bits)), d.Config);
            int lanes = d.Config.Lanes;
            foreach (Pass pass in schedule.Passes)
            {
                int[] table = pass.Step.Layer switch
                {
                    ComputeLayer c => c.Geometry.Gather(pass.Step.Input, pass.Step.Output),
                    Pool2d pool => pool.Windows(pass.Step.Input, pass.Step.Output),
                    _ => throw new InvalidOperationException(),
                };
                int taps = table.Length / pass.Positions;
                Assert.Equal((taps + lanes - 1) / lanes, pass.Steps);
                Assert.Equal(taps, pass.TapCount);
                for (int p = 0; p < pass.Positions; p++)
                {
                    for (int k = 0; k < pass.Steps * lanes; k++)
                    {
                        int expected = k < taps ? Math.Max(table[p * taps + k], Pass.Padding) : Pass.Idle;
                        Assert.All(Enumerable.Range(0, pass.Groups), g => Assert.Equal(expected, pass.Lane(new Issue(p, g, k / lanes), k % lanes)));
                    }
                }
            }
        }, iter: 100);
    }

    [Fact]
    public void TheAddressUnitReadsWhatTheLaneTablesSayFromTheBanks()
    {
        Designs.Sample(d =>
        {
            var schedule = Schedule.Create(HardwareNetworks.Create(d.Seed, FormatFor(d.Pe, d.Bits)), d.Config);
            int lanes = d.Config.Lanes, parallel = d.Config.Parallel;
            Assert.Equal(schedule.Passes.Sum(p => p.Steps), schedule.TapDepth);
            foreach (Pass pass in schedule.Passes)
            {
                Assert.Equal(pass.Steps * lanes, pass.Taps.Count);
                for (int p = 0; p < pass.Positions; p++)
                {
                    for (int step = 0; step < pass.Steps; step++)
                    {
                        for (int l = 0; l < lanes; l++)
                        {
                            int a = pass.Lane(new Issue(p, 0, step), l);
                            (int Bank, int Address) expected = a < 0 ? (a, 0) : pass.SourceLayout.Locate(a, parallel);
                            Assert.Equal(expected, AddressUnit.Read(schedule, pass, p, step, l));
                        }
                    }
                }
            }
        }, iter: 100);
    }

    [Fact]
    public void EveryTensorFitsItsBanksAndWritesNeverCollide()
    {
        Designs.Sample(d =>
        {
            var schedule = Schedule.Create(HardwareNetworks.Create(d.Seed, FormatFor(d.Pe, d.Bits)), d.Config);
            int parallel = d.Config.Parallel;
            foreach (Pass pass in schedule.Passes.Where(p => p.Kind != PassKind.Logits))
            {
                BankLayout layout = pass.TargetLayout;
                Assert.Equal(pass.Step.Output.Size, layout.Size);
                Assert.True(layout.Depth(parallel) <= schedule.BufferDepths[1 - pass.Source]);
                var written = new HashSet<(int, int)>();
                for (int i = 0; i < layout.Size; i++)
                {
                    (int bank, int address) = pass.TargetLayout.Locate(i, parallel);
                    Assert.InRange(address, 0, layout.Depth(parallel) - 1);
                    Assert.True(written.Add((bank, address)));
                }
            }

            Assert.True(schedule.InputLayout.Depth(parallel) <= schedule.BufferDepths[0]);
            Assert.True(schedule.BufferDepths.Max() <= 1 << schedule.BankAddressWidth);
        }, iter: 100);
    }

    [Fact]
    public void TheCycleModelCountsEveryProductOnceAndEveryPassWithItsDrain()
    {
        Designs.Sample(d =>
        {
            var schedule = Schedule.Create(HardwareNetworks.Create(d.Seed, FormatFor(d.Pe, d.Bits)), d.Config);
            EventCounts counts = CycleModel.Predict(schedule);
            long products = schedule.Passes.Where(p => p.IsCompute)
                .Sum(p => (long)p.Positions * p.OutChannels * ((ComputeLayer)p.Step.Layer).Geometry.FanIn);
            long zeros = schedule.Passes.Where(p => p.IsCompute)
                .Sum(p => p.Positions * ((ComputeLayer)p.Step.Layer).Weights.Codes.ToArray().LongCount(c => c == schedule.Format.ZeroCode));
            Assert.Equal(products, counts.PeOps + counts.GatedOps);
            Assert.Equal(d.Config.ZeroGating ? zeros : 0, counts.GatedOps);
            long cycles = schedule.InputSize + schedule.Outputs + 1 + schedule.Passes.Sum(p => p.IssueCycles + Schedule.PipelineDepth);
            Assert.Equal(cycles, counts.Cycles);
            Assert.Equal(schedule.Passes.Sum(p => p.IssueCycles), counts.TapRomReads);
            long writes = schedule.InputSize + schedule.Passes.Where(p => p.Kind != PassKind.Logits).Sum(p => (long)p.Step.Output.Size);
            Assert.Equal(writes * d.Config.Lanes, counts.ActWrites);
        }, iter: 100);
    }

    [Theory]
    [InlineData(PeKind.Bac, "uniform4", "weights.format: uniform4 weights do not fit bac PEs, which take pot weights (use --pe mac)")]
    [InlineData(PeKind.Mac, "pot4", "weights.format: pot4 weights do not fit mac PEs, which take uniform weights (use --pe bac)")]
    [InlineData(PeKind.Apot, "pot4", "weights.format: pot4 weights do not fit apot PEs, which take apot weights (use --pe bac)")]
    [InlineData(PeKind.Bac, "apot4", "(use --pe apot)")]
    public void APeKindRefusesTheOtherFormats(PeKind pe, string format, string message)
    {
        QuantizedModel model = HardwareNetworks.Create(3, WeightFormat.Parse(format));
        var error = Assert.Throws<PotNetException>(() => Schedule.Create(model, new AcceleratorConfig(pe, 2, 2)));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("layer 'conv0': ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MixedWeightFormatsAreRefusedNamingBothLayers()
    {
        var conv = (Conv2d)HardwareNetworks.Create(4, WeightFormat.Pot(4)).Layers[0];
        QuantizedModel other = HardwareNetworks.Create(4, WeightFormat.Pot(5));
        var layers = other.Layers.ToArray();
        layers[0] = conv;
        var model = new QuantizedModel(other.Input, layers);
        var error = Assert.Throws<PotNetException>(() => Schedule.Create(model, new AcceleratorConfig(PeKind.Bac, 1, 1)));
        Assert.Contains("pot5, but layer 'conv0' is pot4; the PE array takes one weight format", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_convolution_with_padding_values_is_refused_naming_the_layer()
    {
        var weights = new QuantizedWeights(WeightFormat.Pot(4), 2, Enumerable.Repeat(WeightFormat.Pot(4).Encode(1), 18).ToArray(), [0]);
        var conv = new Conv2d("conv1", new ConvGeometry(1, 2, 3, 3, 1, 1), weights, [0, 0], null, [33]);
        var model = new QuantizedModel(new Shape(1, 4, 4), [conv]);
        var error = Assert.Throws<PotNetException>(() => Schedule.Create(model, new AcceleratorConfig(PeKind.Bac, 2, 2)));
        Assert.Equal("layer 'conv1': padding_value: the accelerator pads with 0, and this layer's border reads [33] (an input normalisation folded into it); not supported in hardware yet", error.Message);
    }

    [Theory]
    [InlineData(2, 2, "layer 'dw': groups: the accelerator's passes sum over every input channel, and this is a depthwise convolution of 2 groups; not supported in hardware yet")]
    [InlineData(4, 2, "layer 'dw': groups: the accelerator's passes sum over every input channel, and this is a grouped convolution of 2 groups; not supported in hardware yet")]
    public void A_grouped_convolution_is_refused_naming_the_layer(int channels, int groups, string message)
    {
        var first = new Conv2d("conv", new ConvGeometry(1, channels, 3, 3, 1, 1), Ones(channels, 9), new int[channels], 6);
        var dw = new Conv2d("dw", new ConvGeometry(channels, channels, 3, 3, 1, 1, groups), Ones(channels, 9 * channels / groups), new int[channels], 6);
        var model = new QuantizedModel(new Shape(1, 4, 4), [first, dw, new Flatten("flatten"), new Dense("fc", channels * 16, 2, Ones(2, channels * 16), [0, 0], null)]);
        var error = Assert.Throws<PotNetException>(() => Schedule.Create(model, new AcceleratorConfig(PeKind.Bac, 2, 2)));
        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void A_residual_add_is_refused_naming_the_layer()
    {
        var block = new Conv2d("block", new ConvGeometry(1, 1, 3, 3, 1, 1), Ones(1, 9), [0], 6);
        var add = new ResidualAdd("add1", 5) { Inputs = ["block", "input"] };
        var model = new QuantizedModel(new Shape(1, 4, 4), [block, add, new Flatten("flatten"), Logits()]);
        var error = Assert.Throws<PotNetException>(() => Schedule.Create(model, new AcceleratorConfig(PeKind.Bac, 2, 2)));
        Assert.Equal("layer 'add1': type: the accelerator runs a chain of layers and has no residual add (this one adds 'block' and 'input'); not supported in hardware yet", error.Message);
    }

    [Fact]
    public void A_layer_reading_an_earlier_layer_is_refused_naming_it()
    {
        var conv = new Conv2d("conv", new ConvGeometry(1, 1, 3, 3, 1, 1), Ones(1, 9), [0], 6);
        var side = new Conv2d("side", new ConvGeometry(1, 1, 3, 3, 1, 1), Ones(1, 9), [0], 7) { Inputs = ["input"] };
        var add = new ResidualAdd("add1", 5) { Inputs = ["conv", "side"] };
        var model = new QuantizedModel(new Shape(1, 4, 4), [conv, side, add, new Flatten("flatten"), Logits()]);
        var error = Assert.Throws<PotNetException>(() => Schedule.Create(model, new AcceleratorConfig(PeKind.Bac, 2, 2)));
        Assert.Equal("layer 'side': inputs: the accelerator runs a chain of layers, and this one reads 'input', not the layer before it; not supported in hardware yet", error.Message);
    }

    public static TheoryData<string, DataflowKind, string?> Fusions => new()
    {
        // pool, dataflow, the pass the pool fuses into (null: the pool keeps its pass)
        { "max 2 2 conv", DataflowKind.RowBuffer, "next" },
        { "max 2 2 dense", DataflowKind.RowBuffer, "fc" },
        { "max 3 3 conv", DataflowKind.RowBuffer, "next" },
        { "avg 2 2 conv", DataflowKind.RowBuffer, null },
        { "max 2 1 conv", DataflowKind.RowBuffer, null },
        { "max 2 2 conv", DataflowKind.Stream, null },
        { "max 2 2 dense", DataflowKind.Stream, null },
    };

    [Theory]
    [MemberData(nameof(Fusions))]
    public void A_max_pool_with_its_kernel_as_stride_fuses_into_the_weighted_pass_that_reads_it_on_rowbuffer_only(string pool, DataflowKind dataflow, string? into)
    {
        // A 2 x 9 x 9 map (odd: floor mode drops the last row and column of 2 x 2 windows), pooled, then a convolution or a dense layer.
        string[] words = pool.Split(' ');
        int kernel = int.Parse(words[1], System.Globalization.CultureInfo.InvariantCulture), stride = int.Parse(words[2], System.Globalization.CultureInfo.InvariantCulture);
        Pool2d layer = words[0] == "max" ? new MaxPool2d("pool", kernel, stride) : new AvgPool2d("pool", kernel, stride);
        var conv = new Conv2d("conv", new ConvGeometry(1, 2, 3, 3, 1, 1), Ones(2, 9), [0, 0], 6);
        Shape pooled = layer.OutputShape(new Shape(2, 9, 9));
        List<Layer> layers = [conv, layer];
        if (words[3] == "conv") layers.Add(new Conv2d("next", new ConvGeometry(2, 2, 3, 3, 1, 1), Ones(2, 18), [0, 0], 7));
        layers.Add(new Flatten("flatten"));
        layers.Add(new Dense("fc", 2 * pooled.Height * pooled.Width, 2, Ones(2, 2 * pooled.Height * pooled.Width), [0, 0], null));
        var schedule = Schedule.Create(new QuantizedModel(new Shape(1, 9, 9), layers), new AcceleratorConfig(PeKind.Bac, 2, 3, Dataflow: dataflow));

        Assert.Equal(into is null, schedule.Passes.Any(p => p.Name == "pool"));
        Assert.All(schedule.Passes.Where(p => p.Name != into), p => Assert.Null(p.Pool));
        if (into is null) return;
        Pass fused = schedule.Passes.Single(p => p.Name == into);
        Assert.Equal(new FusedPool("pool", kernel, 9, 9), fused.Pool);
        Assert.Equal((9 / kernel, 9 / kernel), (fused.Pool!.Height, fused.Pool.Width));
        // It reads the convolution's output as stored, and its lanes the pooled tensor.
        Assert.Equal(schedule.Passes.Single(p => p.Name == "conv").TargetLayout, fused.SourceLayout);
        Assert.Equal(new BankLayout(2, pooled.Height * pooled.Width), fused.InputLayout);
        Assert.Equal(1, fused.Source);
    }

    [Fact]
    public void Of_two_max_pools_in_a_row_only_the_one_a_weighted_layer_reads_fuses()
    {
        var conv = new Conv2d("conv", new ConvGeometry(1, 2, 3, 3, 1, 1), Ones(2, 9), [0, 0], 6);
        var model = new QuantizedModel(new Shape(1, 8, 8), [conv, new MaxPool2d("pool1", 2, 2), new MaxPool2d("pool2", 2, 2), new Flatten("flatten"), new Dense("fc", 8, 2, Ones(2, 8), [0, 0], null)]);
        var schedule = Schedule.Create(model, new AcceleratorConfig(PeKind.Bac, 2, 2, Dataflow: DataflowKind.RowBuffer));
        Assert.Equal(["conv", "pool1", "fc"], schedule.Passes.Select(p => p.Name));
        Assert.Equal(new FusedPool("pool2", 2, 4, 4), schedule.Passes[2].Pool);
        Assert.Equal(schedule.Passes[1].TargetLayout, schedule.Passes[2].SourceLayout);
    }

    /// <summary>pot4 weights, all 1.</summary>
    private static QuantizedWeights Ones(int outChannels, int fanIn) =>
        new(WeightFormat.Pot(4), outChannels, Enumerable.Repeat(WeightFormat.Pot(4).Encode(1), outChannels * fanIn).ToArray(), [0]);

    /// <summary>A logits layer of two classes over a 1x4x4 image, flattened.</summary>
    private static Dense Logits() => new("fc", 16, 2, Ones(2, 16), [0, 0], null);

    [Theory]
    [InlineData(0, 1, "--p: 0 must be between 1 and 64")]
    [InlineData(1, 65, "--l: 65 must be between 1 and 64")]
    public void OutOfRangeParametersAreRefused(int p, int l, string message)
    {
        QuantizedModel model = HardwareNetworks.Create(3, WeightFormat.Pot(4));
        var error = Assert.Throws<PotNetException>(() => Schedule.Create(model, new AcceleratorConfig(PeKind.Bac, p, l)));
        Assert.Equal(message, error.Message);
    }
}
