namespace PotNet.Engines.Fast;

/// <summary>
/// One thread's buffers for one inference at a time, sized once for the whole model so that
/// inference allocates nothing: the activation buffers (two for a chain, which alternate; more
/// where a residual branch keeps an activation alive), and the im2col columns and accumulators of
/// the largest layer, each with <see cref="Im2Col.Slack"/> bytes to spare.
/// </summary>
internal sealed class Workspace(IReadOnlyList<int> buffers, int columns, int accumulators)
{
    public byte[][] Buffers { get; } = [.. buffers.Select(size => new byte[size + Im2Col.Slack])];

    public int[] Columns { get; } = new int[columns + Im2Col.Slack / sizeof(int)];

    public int[] Accumulators { get; } = new int[accumulators];

    /// <summary>Where the steps charge their time, in a profiling workspace only.</summary>
    public StepTimings? Timings { get; init; }
}
