namespace PotNet.Engines.Fast;

/// <summary>
/// One thread's buffers for one inference at a time, sized once for the whole model so that
/// inference allocates nothing: the activation buffers (two for a chain, which alternate; more
/// where a residual branch keeps an activation alive), the im2col columns of the largest layer run image
/// by image and those of the largest batched one (<see cref="ComputeStep.Batched"/>: its rows are gathered
/// while the next images run, so they need their own), each with <see cref="Im2Col.Slack"/> bytes to spare,
/// and the accumulators of the largest layer. Activation buffers are
/// whole 4 KB pages: measured, when the pools' compact output shrank lenet5's first buffer from 3 KB to
/// 1 KB, conv1's im2col (image loads, column stores) went from 3.6 to 5.4 us per image, back with pages;
/// a collision of addresses modulo 4 KB between the two arrays, we believe, not proven.
/// </summary>
internal sealed class Workspace(IReadOnlyList<int> buffers, int columns, int batchColumns, int accumulators)
{
    public byte[][] Buffers { get; } = [.. buffers.Select(size => new byte[(size + Im2Col.Slack + 4095) / 4096 * 4096])];

    public int[] Columns { get; } = new int[columns + Im2Col.Slack / sizeof(int)];

    public int[] BatchColumns { get; } = new int[batchColumns + Im2Col.Slack / sizeof(int)];

    public int[] Accumulators { get; } = new int[accumulators];

    /// <summary>Where the steps charge their time, in a profiling workspace only.</summary>
    public StepTimings? Timings { get; init; }
}
