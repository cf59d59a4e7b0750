using System.Numerics;
using PotNet.Formats;
using PotNet.Model;

namespace PotNet.Hardware;

/// <summary>
/// How an accelerator computes a model: its passes (one per weighted or pooling layer; a flatten
/// costs nothing, since CHW order already is the flattened order; a max pool fused into the next
/// weighted pass's row loads has none, <see cref="FusedPool"/>), the data widths, and the ROM
/// contents. The Verilog generator and the cycle and event model both derive from it.
/// </summary>
public sealed class Schedule
{
    /// <summary>Stages from a step's issue to its result's write (R, X, M, W): a pass ends with this many drain cycles.</summary>
    public const int PipelineDepth = 4;

    /// <summary>Largest lane table accepted (positions x steps): beyond it the design is far too big to simulate.</summary>
    public const int MaxLaneWords = 1 << 22;

    private readonly int[]?[] _weights;

    private Schedule(QuantizedModel model, AcceleratorConfig config, WeightFormat format, Pass[] passes)
    {
        Model = model;
        Config = config;
        Format = format;
        Passes = passes;
        _weights = passes.Select(p => p.IsCompute ? ((ComputeLayer)p.Step.Layer).Weights.Codes.ToArray().Select(c => (int)c).ToArray() : null).ToArray();

        InputSize = model.Input.Size;
        Outputs = model.ClassCount;
        InputLayout = InputLayoutOf(model);
        int parallel = config.Parallel;
        BufferDepths = [
            Math.Max(InputLayout.Depth(parallel), passes.Where(p => p.Source == 1).Select(p => p.TargetLayout.Depth(parallel)).DefaultIfEmpty(1).Max()),
            passes.Where(p => p.Source == 0 && p.Kind != PassKind.Logits).Select(p => p.TargetLayout.Depth(parallel)).DefaultIfEmpty(1).Max(),
        ];
        AddressWidth = Bits(Math.Max(Math.Max(InputSize, Outputs), passes.Max(p => p.Positions)) - 1);
        BankAddressWidth = Bits(BufferDepths.Max() - 1);
        BankWidth = Bits(parallel - 1);
        KernelIndexWidth = Bits(passes.Max(Kernel) - 1);
        CoordinateWidth = Math.Max(KernelIndexWidth, Bits(passes.Max(Extent))) + 1;
        OutputWidth = Bits(Outputs - 1);
        PassWidth = Bits(passes.Length - 1);
        TapDepth = passes.Sum(p => p.Steps);
        WeightDepth = passes.Where(p => p.IsCompute && p.Mapping == LaneMapping.Taps).Sum(p => p.PositionSteps);
        PeWeightDepth = passes.Where(p => p.IsCompute && p.Mapping == LaneMapping.Columns).Sum(p => p.PositionSteps);
        TapIndexDepth = passes.Where(p => p.Skips).Sum(p => p.PositionSteps);
        ParamDepth = passes.Where(p => p.IsCompute).Sum(p => p.Groups);
        TapIndexWidth = Bits(TapDepth - 1);
        WeightIndexWidth = Bits(Math.Max(WeightDepth, PeWeightDepth) - 1);
        TapIndexAddressWidth = Bits(TapIndexDepth - 1);
        ParamIndexWidth = Bits(ParamDepth - 1);
        StepWidth = Bits(passes.Max(p => p.Steps) - 1);
        GroupWidth = Bits(passes.Max(p => p.Groups) - 1);
        ChannelWidth = Bits(passes.Max(p => p.OutChannels) + config.Parallel);
        int macWidth = config.Pe == PeKind.Mac ? format.Bits + 9 : 0;
        AccumulatorWidth = Math.Max(9, Math.Max(macWidth, model.ComputeLayers.Max(c => c.Accumulator.Bits)));
        PoolWidth = Math.Max(9, passes.Where(p => !p.IsCompute).Select(p => Bits(255 * WindowSize(p)) + 1).DefaultIfEmpty(9).Max());

        // Each pass's words lie in the weight ROMs its lanes read: the lanes' (taps) or the PEs' (columns).
        int tap = 0, laneWeight = 0, peWeight = 0, param = 0, index = 0;
        var tapBase = new int[passes.Length];
        var indexBase = new int[passes.Length];
        var weightBase = new int[passes.Length];
        var paramBase = new int[passes.Length];
        foreach (Pass p in passes)
        {
            tapBase[p.Index] = tap;
            paramBase[p.Index] = param;
            tap += p.Steps;
            indexBase[p.Index] = index;
            if (p.Skips) index += p.PositionSteps;
            if (!p.IsCompute) continue;
            param += p.Groups;
            switch (p.Mapping)
            {
                case LaneMapping.Taps:
                    weightBase[p.Index] = laneWeight;
                    laneWeight += p.PositionSteps;
                    break;
                case LaneMapping.Columns:
                    weightBase[p.Index] = peWeight;
                    peWeight += p.PositionSteps;
                    break;
            }
        }

        TapBase = tapBase;
        TapIndexBase = indexBase;
        WeightBase = weightBase;
        ParamBase = paramBase;
    }

    /// <summary>The model.</summary>
    public QuantizedModel Model { get; }

    /// <summary>The accelerator's parameters.</summary>
    public AcceleratorConfig Config { get; }

    /// <summary>The one weight format of every weighted layer.</summary>
    public WeightFormat Format { get; }

    /// <summary>The passes in order.</summary>
    public IReadOnlyList<Pass> Passes { get; }

    /// <summary>Bytes per input image.</summary>
    public int InputSize { get; }

    /// <summary>Logits per inference.</summary>
    public int Outputs { get; }

    /// <summary>How the input image lies in buffer 0's banks.</summary>
    public BankLayout InputLayout { get; }

    /// <summary>Bytes used of the fullest bank of activation buffers 0 (the input's) and 1.</summary>
    public IReadOnlyList<int> BufferDepths { get; }

    /// <summary>Bits of an element or position index (AW): the input, a pass's positions, the logits.</summary>
    public int AddressWidth { get; }

    /// <summary>Bits of an in-bank address (BW); every bank memory has 2^BW bytes.</summary>
    public int BankAddressWidth { get; }

    /// <summary>Bits of a bank index (BKW).</summary>
    public int BankWidth { get; }

    /// <summary>Bits of a tap's kernel row or column (KW).</summary>
    public int KernelIndexWidth { get; }

    /// <summary>Bits of the counters' signed rows and columns (DW), wide enough for every comparison with the input's size.</summary>
    public int CoordinateWidth { get; }

    /// <summary>Bits of a logit index (OW).</summary>
    public int OutputWidth { get; }

    /// <summary>Bits of the pass index (PW).</summary>
    public int PassWidth { get; }

    /// <summary>Words in the tap ROM: the passes' steps.</summary>
    public int TapDepth { get; }

    /// <summary>Words in each lane-code weight ROM (one per PE of L codes in <see cref="DataflowKind.Stream"/>, one per lane otherwise): the groups x steps of the weighted passes whose lanes are taps.</summary>
    public int WeightDepth { get; }

    /// <summary>Words in each PE's broadcast weight ROM (one code a word): the groups x steps of the passes whose lanes are columns (0 when there are none).</summary>
    public int PeWeightDepth { get; }

    /// <summary>Words in the tap index ROM of a zero-skipping design: one per step of a position of every weighted pass (0 without skipping).</summary>
    public int TapIndexDepth { get; }

    /// <summary>Bits of a tap index ROM address (IIW).</summary>
    public int TapIndexAddressWidth { get; }

    /// <summary>Per pass, its first word in the tap index ROM (weighted passes of a zero-skipping design).</summary>
    public IReadOnlyList<int> TapIndexBase { get; }

    /// <summary>Words in each PE's parameter (bias and shift) ROM: the weighted passes' groups.</summary>
    public int ParamDepth { get; }

    /// <summary>Bits of a tap ROM index (TIW).</summary>
    public int TapIndexWidth { get; }

    /// <summary>Bits of a weight ROM index (WIW), lanes' and PEs' ROMs alike.</summary>
    public int WeightIndexWidth { get; }

    /// <summary>Bits of a parameter ROM index (BIW).</summary>
    public int ParamIndexWidth { get; }

    /// <summary>Bits of the step counter (SW).</summary>
    public int StepWidth { get; }

    /// <summary>Bits of the group counter (GW).</summary>
    public int GroupWidth { get; }

    /// <summary>Bits of an output channel count (CW), with room for the last group's P.</summary>
    public int ChannelWidth { get; }

    /// <summary>
    /// Accumulator and product width (ACC_W): the widest weighted layer's accumulator bound, at least
    /// a MAC's product width. Arithmetic is modulo 2^ACC_W; every partial sum fits, so no result changes.
    /// </summary>
    public int AccumulatorWidth { get; }

    /// <summary>Width of the pooling unit's accumulator.</summary>
    public int PoolWidth { get; }

    /// <summary>Per pass, its first word in the tap ROM.</summary>
    public IReadOnlyList<int> TapBase { get; }

    /// <summary>Per pass, its first word in the weight ROMs it reads (weighted passes): the lanes' or the PEs' (<see cref="Pass.Mapping"/>).</summary>
    public IReadOnlyList<int> WeightBase { get; }

    /// <summary>Per pass, its first word in the parameter ROMs (weighted passes).</summary>
    public IReadOnlyList<int> ParamBase { get; }

    /// <summary>
    /// Plans the accelerator for <paramref name="model"/>. Throws a <see cref="PotNetException"/> when
    /// the PE kind does not compute the model's weight format, when the weighted layers mix formats,
    /// or when a layer is not supported.
    /// </summary>
    public static Schedule Create(QuantizedModel model, AcceleratorConfig config)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(config);
        config.Validate();
        CheckChain(model);
        WeightFormat format = CheckFormats(model, config);

        var passes = new List<Pass>();
        int source = 0;
        BankLayout stored = InputLayoutOf(model);
        FusedPool? fused = null;
        for (int i = 0; i < model.Plan.Count; i++)
        {
            LayerPlan step = model.Plan[i];
            if (step.Layer is Pool2d fusing && Fuses(model, i, config))
            {
                // No pass: the next weighted pass's row loads read the pool's input as stored.
                CheckPooled(fusing, step, stored);
                fused = new FusedPool(fusing.Name, fusing.Kernel, step.Input.Height, step.Input.Width);
                continue;
            }

            Pass? pass = step.Layer switch
            {
                ComputeLayer c => ComputePass(passes.Count, step, c, config, source, stored, fused, last: step == model.Plan[^1]),
                Pool2d pool => PoolPass(passes.Count, step, pool, config, source, stored),
                Flatten => null,
                Layer other => throw new PotNetException($"layer '{other.Name}': type: the accelerator does not implement {other.TypeName} layers"),
            };
            if (pass is null) continue;
            fused = null;
            passes.Add(pass);
            source = 1 - source;
            stored = pass.TargetLayout;
        }

        long words = passes.Sum(p => (long)p.Positions * p.PositionSteps);
        if (words > MaxLaneWords)
        {
            throw new PotNetException($"the model needs {words} positions x steps, more than the {MaxLaneWords} the generator accepts: use more lanes (--l) or a smaller model");
        }

        return new Schedule(model, config, format, [.. passes]);
    }

    /// <summary>
    /// Whether the pool at plan step <paramref name="index"/> is fused into the row loads of the pass
    /// that reads it (<see cref="FusedPool"/>): in <see cref="DataflowKind.RowBuffer"/>, a max pool whose
    /// stride equals its kernel, read (through flattens) by a weighted layer. Average pools, pools with
    /// another stride and pools read by anything else keep their pass; <see cref="DataflowKind.Stream"/>
    /// fuses nothing.
    /// </summary>
    private static bool Fuses(QuantizedModel model, int index, AcceleratorConfig config)
    {
        bool fusable = model.Plan[index].Layer is MaxPool2d pool && pool.Stride == pool.Kernel
            && model.Plan.Skip(index + 1).FirstOrDefault(s => s.Layer is not Flatten)?.Layer is ComputeLayer;
        return config.Dataflow switch
        {
            DataflowKind.Stream => false,
            DataflowKind.RowBuffer => fusable,
        };
    }

    /// <summary>The code of weight <c>(channel, k)</c> of a weighted pass.</summary>
    public int Code(Pass pass, int channel, int k)
    {
        ArgumentNullException.ThrowIfNull(pass);
        var layer = (ComputeLayer)pass.Step.Layer;
        return _weights[pass.Index]![channel * layer.Geometry.FanIn + k];
    }

    /// <summary>
    /// The code PE <paramref name="pe"/> meets at lane <paramref name="lane"/> of step <paramref name="issue"/>:
    /// the weight of the PE's channel (<see cref="StreamDataflow.Channel"/>) and the lane's tap
    /// (<see cref="Pass.Tap"/>), or the zero code where there is none (past the fan-in or the channels).
    /// </summary>
    public int LaneCode(Pass pass, int pe, Issue issue, int lane)
    {
        ArgumentNullException.ThrowIfNull(pass);
        var layer = (ComputeLayer)pass.Step.Layer;
        int channel = StreamDataflow.Channel(Config, issue.Group, pe), k = pass.Tap(issue, lane);
        return channel < pass.OutChannels && k < layer.Geometry.FanIn ? Code(pass, channel, k) : Format.ZeroCode;
    }

    /// <summary>
    /// The requantisation shift the hardware applies to output channel <paramref name="channel"/>:
    /// <see cref="LayerPlan.RequantizeShift"/> clamped to [-8, ACC_W], beyond which the result does
    /// not change (0 for the logits, which are not requantised).
    /// </summary>
    public int HardwareShift(Pass pass, int channel)
    {
        ArgumentNullException.ThrowIfNull(pass);
        return pass.Kind == PassKind.Hidden ? Math.Clamp(pass.Step.RequantizeShift(channel), -8, AccumulatorWidth) : 0;
    }

    /// <summary>Bits needed for the unsigned value <paramref name="value"/> (at least 1).</summary>
    public static int Bits(long value) => value <= 1 ? 1 : 64 - BitOperations.LeadingZeroCount((ulong)value);

    /// <summary>The accelerator runs a chain of layers: the first residual add, residual source, or layer reading another than the one before it, is refused by name.</summary>
    private static void CheckChain(QuantizedModel model)
    {
        for (int i = 0; i < model.Plan.Count; i++)
        {
            LayerPlan step = model.Plan[i];
            string Name(int source) => source < 0 ? LayerGraph.ModelInput : model.Plan[source].Layer.Name;
            if (step.Layer.Residual is string residual)
            {
                throw new PotNetException($"layer '{step.Layer.Name}': residual: the accelerator's passes accumulate only the layer's own products, and this layer adds '{residual}' into its accumulator (relu(conv(h) + x)); not supported in hardware yet");
            }

            if (step.Layer is ResidualAdd)
            {
                throw new PotNetException($"layer '{step.Layer.Name}': type: the accelerator runs a chain of layers and has no residual add (this one adds '{Name(step.Sources[0])}' and '{Name(step.Sources[1])}'); not supported in hardware yet");
            }

            if (step.Sources[0] != i - 1)
            {
                throw new PotNetException($"layer '{step.Layer.Name}': inputs: the accelerator runs a chain of layers, and this one reads '{Name(step.Sources[0])}', not the layer before it; not supported in hardware yet");
            }
        }
    }

    private static BankLayout InputLayoutOf(QuantizedModel model) => new(model.Input.Channels, model.Input.Height * model.Input.Width);

    private static int WindowSize(Pass pool) => ((Pool2d)pool.Step.Layer).Kernel * ((Pool2d)pool.Step.Layer).Kernel;

    private static WeightFormat CheckFormats(QuantizedModel model, AcceleratorConfig config)
    {
        ComputeLayer first = model.ComputeLayers.First();
        foreach (ComputeLayer layer in model.ComputeLayers)
        {
            WeightFormat format = layer.Weights.Format;
            if (format.Kind != config.Format)
            {
                throw new PotNetException(
                    $"layer '{layer.Name}': weights.format: {format.Name} weights do not fit {config.PeName} PEs, which take {config.Format.ToString().ToLowerInvariant()} weights (use --pe {Suggest(format.Kind)})");
            }

            if (format != first.Weights.Format)
            {
                throw new PotNetException(
                    $"layer '{layer.Name}': weights.format: {format.Name}, but layer '{first.Name}' is {first.Weights.Format.Name}; the PE array takes one weight format for the whole network");
            }
        }

        return first.Weights.Format;
    }

    private static string Suggest(FormatKind kind) => kind switch
    {
        FormatKind.Pot => "bac",
        FormatKind.Uniform => "mac",
        FormatKind.Apot => "apot",
    };

    private static Pass ComputePass(int index, LayerPlan step, ComputeLayer layer, AcceleratorConfig config, int source, BankLayout stored, FusedPool? pool, bool last)
    {
        if (layer.Geometry.Groups > 1)
        {
            string kind = layer.Geometry.Groups == layer.Geometry.InChannels ? "depthwise" : "grouped";
            throw new PotNetException($"layer '{layer.Name}': groups: the accelerator's passes sum over every input channel, and this is a {kind} convolution of {layer.Geometry.Groups} groups; not supported in hardware yet");
        }

        if (!layer.PaddingValues.IsEmpty)
        {
            throw new PotNetException($"layer '{layer.Name}': padding_value: the accelerator pads with 0, and this layer's border reads [{string.Join(", ", layer.PaddingValues.ToArray())}] (an input normalisation folded into it); not supported in hardware yet");
        }

        int fanIn = layer.Geometry.FanIn, positions = step.Output.Height * step.Output.Width;
        LaneMapping mapping = Mapping(config, layer, step, last);
        int[] reads = layer.Geometry.Gather(step.Input, step.Output);
        int units = mapping switch
        {
            LaneMapping.Taps => Ceiling(fanIn, config.Lanes),
            LaneMapping.Columns => fanIn,
        };

        // A channel of the input must be one stored channel (pooled, when a pool is fused), or (a dense layer's flattened input) one element.
        BankLayout input = pool is null ? stored : new BankLayout(stored.Channels, pool.Height * pool.Width);
        int inPositions = step.Input.Height * step.Input.Width;
        if (input.Positions != inPositions && inPositions != 1)
        {
            throw new PotNetException($"layer '{layer.Name}': input: the accelerator cannot read a {step.Input} input stored as {input.Channels} channels of {input.Positions}");
        }

        int channels = layer.Geometry.OutChannels, groups = Ceiling(channels, config.Parallel);
        int[][] kept = config.ZeroSkipping
            ? ZeroSkipping.KeptUnits(layer, config.Parallel, mapping == LaneMapping.Taps ? config.Lanes : 1, groups)
            : [.. Enumerable.Range(0, groups).Select(_ => Enumerable.Range(0, units).ToArray())];
        var window = new PassWindow(step.Input.Height, step.Input.Width, layer.Geometry.Stride, layer.Geometry.Padding, step.Output.Height, step.Output.Width, 1);
        var layout = new PassLayout(window, stored, new BankLayout(channels, positions), AddressUnit.ComputeTaps(layer.Geometry, window, input, config.Parallel, config.Lanes, units));
        return new Pass(index, step, last ? PassKind.Logits : PassKind.Hidden, channels, source, reads, fanIn, kept, layout, config.Lanes, mapping, pool) { Skips = config.ZeroSkipping };
    }

    private static Pass PoolPass(int index, LayerPlan step, Pool2d pool, AcceleratorConfig config, int source, BankLayout stored)
    {
        int window = pool.Kernel * pool.Kernel;
        int steps = Ceiling(window, config.Lanes);
        CheckPooled(pool, step, stored);
        var view = new PassWindow(step.Input.Height, step.Input.Width, pool.Stride, 0, step.Output.Height, step.Output.Width, step.Output.Channels);
        var layout = new PassLayout(view, stored, new BankLayout(step.Output.Channels, view.OutPositions), AddressUnit.PoolTaps(pool, view, config.Lanes, steps));
        PassKind kind = pool is AvgPool2d ? PassKind.AvgPool : PassKind.MaxPool;
        return new Pass(index, step, kind, 1, source, pool.Windows(step.Input, step.Output), window, [Enumerable.Range(0, steps).ToArray()], layout, config.Lanes, LaneMapping.Taps);
    }

    /// <summary>A pool reads its input as channels of its rows and columns.</summary>
    private static void CheckPooled(Pool2d pool, LayerPlan step, BankLayout stored)
    {
        if (stored.Positions != step.Input.Height * step.Input.Width)
        {
            throw new PotNetException($"layer '{pool.Name}': input: the accelerator cannot pool a {step.Input} input stored as {stored.Channels} channels of {stored.Positions}");
        }
    }

    /// <summary>
    /// How a weighted layer's lanes map: in <see cref="DataflowKind.RowBuffer"/> a hidden convolution
    /// whose output rows have more than one column computes L of them at once (<see cref="LaneMapping.Columns"/>);
    /// everything else, and every layer of <see cref="DataflowKind.Stream"/>, sums L taps.
    /// </summary>
    private static LaneMapping Mapping(AcceleratorConfig config, ComputeLayer layer, LayerPlan step, bool last) => config.Dataflow switch
    {
        DataflowKind.Stream => LaneMapping.Taps,
        DataflowKind.RowBuffer => layer is Conv2d && !last && step.Output.Width > 1 ? LaneMapping.Columns : LaneMapping.Taps,
    };

    private static int Kernel(Pass pass) => pass.Step.Layer switch
    {
        ComputeLayer c => Math.Max(c.Geometry.KernelHeight, c.Geometry.KernelWidth),
        Pool2d pool => pool.Kernel,
        Layer other => throw new InvalidOperationException($"a {other.TypeName} layer has no pass"),
    };

    /// <summary>The largest magnitude the counters' rows and columns meet in a pass: corners, taps and the input's size.</summary>
    private static long Extent(Pass pass)
    {
        PassWindow w = pass.Window;
        long corner = (long)Math.Max(w.OutHeight, w.OutWidth) * w.Stride;
        return corner + Kernel(pass) + w.Padding + Math.Max(w.InHeight, w.InWidth);
    }

    private static int Ceiling(int a, int b) => (a + b - 1) / b;
}
