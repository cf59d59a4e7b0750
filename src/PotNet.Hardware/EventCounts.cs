namespace PotNet.Hardware;

/// <summary>
/// What an accelerator does, counted: cycles and events. The RTL's simulation-only counters and
/// <see cref="CycleModel"/> both produce these, and must agree exactly.
/// </summary>
/// <param name="Cycles">Cycles from the first input beat to the class beat, both included.</param>
/// <param name="PeOps">Lane operations performed: a product (shift, multiply, or two shifts and an add) into the adder tree.</param>
/// <param name="GatedOps">Lane operations skipped by zero gating: a zero weight left the operands held.</param>
/// <param name="AccUpdates">PE accumulator updates (one per PE per step): each sums L products and the accumulator.</param>
/// <param name="WeightRomReads">Weight ROM words read (L codes each).</param>
/// <param name="ParamRomReads">Bias-and-shift ROM words read (one per PE per group).</param>
/// <param name="TapRomReads">Tap ROM words read (one per issued step: L taps each).</param>
/// <param name="ActReads">Activation memory reads (bytes; each lane reads one bank memory); padding taps read nothing.</param>
/// <param name="ActWrites">Activation memory writes (bytes), the input image included: a bank's L copies each take every write to it.</param>
/// <param name="Requantizations">Requantisations (hidden weighted layers' outputs).</param>
/// <param name="PoolUpdates">Pooling unit accumulator updates (one per pooling step).</param>
/// <param name="LogitWrites">Logits stored.</param>
public sealed record EventCounts(
    long Cycles, long PeOps, long GatedOps, long AccUpdates, long WeightRomReads, long ParamRomReads,
    long TapRomReads, long ActReads, long ActWrites, long Requantizations, long PoolUpdates, long LogitWrites)
{
    /// <summary>The counters' names, as the testbench prints them, in order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "cycles", "pe_ops", "gated_ops", "acc_updates", "weight_rom_reads", "param_rom_reads",
        "tap_rom_reads", "act_reads", "act_writes", "requantizations", "pool_updates", "logit_writes",
    ];

    /// <summary>The counters as (name, value), in the order of <see cref="Names"/>.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> Items =>
    [
        new("cycles", Cycles), new("pe_ops", PeOps), new("gated_ops", GatedOps), new("acc_updates", AccUpdates),
        new("weight_rom_reads", WeightRomReads), new("param_rom_reads", ParamRomReads), new("tap_rom_reads", TapRomReads),
        new("act_reads", ActReads), new("act_writes", ActWrites), new("requantizations", Requantizations),
        new("pool_updates", PoolUpdates), new("logit_writes", LogitWrites),
    ];

    /// <summary>Reads the counters back from (name, value) pairs; every name must be present.</summary>
    public static EventCounts FromItems(IReadOnlyDictionary<string, long> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        long Get(string name) => values.TryGetValue(name, out long v) ? v : throw new PotNetException($"the simulation reported no '{name}' counter");
        return new EventCounts(
            Get("cycles"), Get("pe_ops"), Get("gated_ops"), Get("acc_updates"), Get("weight_rom_reads"), Get("param_rom_reads"),
            Get("tap_rom_reads"), Get("act_reads"), Get("act_writes"), Get("requantizations"), Get("pool_updates"), Get("logit_writes"));
    }

    /// <summary>The sum of two sets of counts.</summary>
    public EventCounts Plus(EventCounts other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            Cycles + other.Cycles, PeOps + other.PeOps, GatedOps + other.GatedOps, AccUpdates + other.AccUpdates,
            WeightRomReads + other.WeightRomReads, ParamRomReads + other.ParamRomReads, TapRomReads + other.TapRomReads,
            ActReads + other.ActReads, ActWrites + other.ActWrites, Requantizations + other.Requantizations,
            PoolUpdates + other.PoolUpdates, LogitWrites + other.LogitWrites);
    }

    /// <summary>The counts of <paramref name="n"/> inferences.</summary>
    public EventCounts Times(long n) => new(
        Cycles * n, PeOps * n, GatedOps * n, AccUpdates * n, WeightRomReads * n, ParamRomReads * n,
        TapRomReads * n, ActReads * n, ActWrites * n, Requantizations * n, PoolUpdates * n, LogitWrites * n);
}
