namespace PotNet.Hardware;

/// <summary>
/// What an accelerator does, counted: cycles and events. The RTL's simulation-only counters and
/// <see cref="CycleModel"/> both produce these, and must agree exactly. <see cref="Counters"/> is the
/// one declaration of the C#-RTL counter contract: the names the RTL's <c>ev_NAME</c> registers carry,
/// the testbench's dump (generated from it) and the manifest's predicted counts all come from it.
/// </summary>
public sealed record EventCounts
{
    /// <summary>Cycles from the first input beat to the class beat, both included.</summary>
    public long Cycles { get; init; }

    /// <summary>Lane operations performed: a product (shift, multiply, or two shifts and an add) into the adder tree.</summary>
    public long PeOps { get; init; }

    /// <summary>Lane operations skipped by zero gating: a zero weight left the operands held.</summary>
    public long GatedOps { get; init; }

    /// <summary>
    /// PE accumulator updates: one per PE per step where the lanes are taps (the adder tree's sum of L
    /// products into the accumulator), one per busy lane of each PE per step where they are columns
    /// (each lane's product into its own accumulator).
    /// </summary>
    public long AccUpdates { get; init; }

    /// <summary>Weight ROM words read: L codes each in <see cref="DataflowKind.Stream"/>, one code of a lane's ROM in <see cref="DataflowKind.RowBuffer"/>.</summary>
    public long WeightRomReads { get; init; }

    /// <summary>Bias-and-shift ROM words read (one per PE per group).</summary>
    public long ParamRomReads { get; init; }

    /// <summary>Tap ROM words read (one per issued step: L taps each).</summary>
    public long TapRomReads { get; init; }

    /// <summary>Activation memory reads (bytes; each lane reads one bank memory); padding taps read nothing.</summary>
    public long ActReads { get; init; }

    /// <summary>Activation memory writes (bytes), the input image included: a bank's L copies each take every write to it.</summary>
    public long ActWrites { get; init; }

    /// <summary>Requantisations (hidden weighted layers' outputs).</summary>
    public long Requantizations { get; init; }

    /// <summary>Pooling unit accumulator updates (one per pooling step).</summary>
    public long PoolUpdates { get; init; }

    /// <summary>Logits stored.</summary>
    public long LogitWrites { get; init; }

    /// <summary>Codes read from the PEs' broadcast weight ROMs, one per PE and step of a pass whose lanes are columns (<see cref="DataflowKind.RowBuffer"/>).</summary>
    public long PeRomReads { get; init; }

    /// <summary>Codes read from the PEs' weight register files (<see cref="DataflowKind.RowBuffer"/>).</summary>
    public long WeightRfReads { get; init; }

    /// <summary>Codes written into the PEs' weight register files, each once per layer (<see cref="DataflowKind.RowBuffer"/>).</summary>
    public long WeightRfWrites { get; init; }

    /// <summary>
    /// Accumulators read into the requantisers (ACC_W bits each; <see cref="DataflowKind.RowBuffer"/>):
    /// after a column pass's group, every lane's accumulator of every PE, all at once.
    /// </summary>
    public long DrainReads { get; init; }

    /// <summary>
    /// Bytes latched into the PEs' result registers (<see cref="DataflowKind.RowBuffer"/>): after a column
    /// pass's group, the requantised result of every lane in the tile of every PE that holds an output
    /// channel, each then read once by the drain that writes it to its bank.
    /// </summary>
    public long ResultWrites { get; init; }

    /// <summary>Bytes the lanes read from the row buffer; padding taps read nothing (<see cref="DataflowKind.RowBuffer"/>).</summary>
    public long RowBufferReads { get; init; }

    /// <summary>Bytes written into the row buffer from the activation memories (<see cref="DataflowKind.RowBuffer"/>).</summary>
    public long RowBufferWrites { get; init; }

    /// <summary>
    /// Words read from the tap index ROM of a zero-skipping design (<see cref="DataflowKind.RowBuffer"/>),
    /// one per issued step of a weighted pass, each a cycle ahead of its step: every step of a pass that
    /// does not hold its weights, the first position's steps of one that does (<see cref="RowBufferDataflow.HoldsWeights"/>).
    /// </summary>
    public long TapIndexReads { get; init; }

    /// <summary>
    /// Words read from the tap index register file of a zero-skipping design (<see cref="DataflowKind.RowBuffer"/>):
    /// every step of the later positions of a pass that holds its weights.
    /// </summary>
    public long TapIndexRfReads { get; init; }

    /// <summary>
    /// Words written into the tap index register file (<see cref="DataflowKind.RowBuffer"/>): each word
    /// the ROM gives at the first position of a pass that holds its weights.
    /// </summary>
    public long TapIndexRfWrites { get; init; }

    /// <summary>
    /// Bytes the row loads' max units take (<see cref="DataflowKind.RowBuffer"/>): with a max pool fused
    /// into a pass's row loads (<see cref="FusedPool"/>), every window element read, one u8 comparison
    /// in its bank's max register each.
    /// </summary>
    public long LoadMaxes { get; init; }

    private static readonly DataflowKind[] Both = [DataflowKind.Stream, DataflowKind.RowBuffer];
    private static readonly DataflowKind[] StreamOnly = [DataflowKind.Stream];
    private static readonly DataflowKind[] RowBufferOnly = [DataflowKind.RowBuffer];

    /// <summary>
    /// The counters, in the order the testbench prints them: the RTL's register <c>ev_NAME</c> counts
    /// counter NAME, in the cores of the dataflows that have the storage it counts.
    /// </summary>
    public static IReadOnlyList<EventCounter> Counters { get; } =
    [
        new("cycles", c => c.Cycles, (c, v) => c with { Cycles = v }, Both),
        new("pe_ops", c => c.PeOps, (c, v) => c with { PeOps = v }, Both),
        new("gated_ops", c => c.GatedOps, (c, v) => c with { GatedOps = v }, Both),
        new("acc_updates", c => c.AccUpdates, (c, v) => c with { AccUpdates = v }, Both),
        new("weight_rom_reads", c => c.WeightRomReads, (c, v) => c with { WeightRomReads = v }, Both),
        new("param_rom_reads", c => c.ParamRomReads, (c, v) => c with { ParamRomReads = v }, Both),
        new("tap_rom_reads", c => c.TapRomReads, (c, v) => c with { TapRomReads = v }, StreamOnly),
        new("act_reads", c => c.ActReads, (c, v) => c with { ActReads = v }, Both),
        new("act_writes", c => c.ActWrites, (c, v) => c with { ActWrites = v }, Both),
        new("requantizations", c => c.Requantizations, (c, v) => c with { Requantizations = v }, Both),
        new("pool_updates", c => c.PoolUpdates, (c, v) => c with { PoolUpdates = v }, Both),
        new("logit_writes", c => c.LogitWrites, (c, v) => c with { LogitWrites = v }, Both),
        new("pe_rom_reads", c => c.PeRomReads, (c, v) => c with { PeRomReads = v }, RowBufferOnly),
        new("weight_rf_reads", c => c.WeightRfReads, (c, v) => c with { WeightRfReads = v }, RowBufferOnly),
        new("weight_rf_writes", c => c.WeightRfWrites, (c, v) => c with { WeightRfWrites = v }, RowBufferOnly),
        new("drain_reads", c => c.DrainReads, (c, v) => c with { DrainReads = v }, RowBufferOnly),
        new("result_writes", c => c.ResultWrites, (c, v) => c with { ResultWrites = v }, RowBufferOnly),
        new("row_buffer_reads", c => c.RowBufferReads, (c, v) => c with { RowBufferReads = v }, RowBufferOnly),
        new("row_buffer_writes", c => c.RowBufferWrites, (c, v) => c with { RowBufferWrites = v }, RowBufferOnly),
        new("tap_index_reads", c => c.TapIndexReads, (c, v) => c with { TapIndexReads = v }, RowBufferOnly),
        new("tap_index_rf_reads", c => c.TapIndexRfReads, (c, v) => c with { TapIndexRfReads = v }, RowBufferOnly),
        new("tap_index_rf_writes", c => c.TapIndexRfWrites, (c, v) => c with { TapIndexRfWrites = v }, RowBufferOnly),
        new("load_maxes", c => c.LoadMaxes, (c, v) => c with { LoadMaxes = v }, RowBufferOnly),
    ];

    /// <summary>The counters' names, as the testbench prints them, in order.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Counters.Select(c => c.Name)];

    /// <summary>The counters the core of <paramref name="dataflow"/> has, in order; the others are 0 in its designs.</summary>
    public static IReadOnlyList<EventCounter> Of(DataflowKind dataflow) => [.. Counters.Where(c => c.Dataflows.Contains(dataflow))];

    /// <summary>The counters as (name, value), in the order of <see cref="Names"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Items => [.. Counters.Select(c => new KeyValuePair<string, long>(c.Name, c.Get(this)))];

    /// <summary>
    /// Reads the counters back from (name, value) pairs: every counter of <paramref name="dataflow"/>
    /// must be present; the others are 0 (that design has nothing they count).
    /// </summary>
    public static EventCounts FromItems(IReadOnlyDictionary<string, long> values, DataflowKind dataflow)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Of(dataflow).Aggregate(new EventCounts(), (counts, counter) =>
            counter.Set(counts, values.TryGetValue(counter.Name, out long v) ? v : throw new PotNetException($"the simulation reported no '{counter.Name}' counter")));
    }

    /// <summary>The sum of two sets of counts.</summary>
    public EventCounts Plus(EventCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Counters.Aggregate(this, (counts, counter) => counter.Set(counts, counter.Get(counts) + counter.Get(other)));
    }

    /// <summary>The counts of <paramref name="n"/> inferences.</summary>
    public EventCounts Times(long n) => Counters.Aggregate(this, (counts, counter) => counter.Set(counts, counter.Get(counts) * n));
}

/// <summary>One event counter of the C#-RTL contract.</summary>
/// <param name="Name">Its name: the RTL's register is <c>ev_NAME</c>, the testbench prints <c>counter NAME value</c>.</param>
/// <param name="Get">Its value in a set of counts.</param>
/// <param name="Set">A set of counts with it replaced.</param>
/// <param name="Dataflows">The dataflows whose core has the register (the others have nothing it counts).</param>
public sealed record EventCounter(string Name, Func<EventCounts, long> Get, Func<EventCounts, long, EventCounts> Set, IReadOnlyList<DataflowKind> Dataflows)
{
    /// <summary>The RTL's register that counts it, in the core.</summary>
    public string Register => $"ev_{Name}";
}
