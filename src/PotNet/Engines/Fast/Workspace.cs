namespace PotNet.Engines.Fast;

/// <summary>
/// One thread's buffers for one inference at a time, sized once for the whole model so that
/// inference allocates nothing: two activation buffers and the im2col columns and accumulators of
/// the largest layer, each with <see cref="Im2Col.Slack"/> bytes to spare.
/// </summary>
internal sealed class Workspace(int activations, int columns, int accumulators)
{
    public byte[] Front { get; private set; } = new byte[activations + Im2Col.Slack];

    public byte[] Back { get; private set; } = new byte[activations + Im2Col.Slack];

    public int[] Columns { get; } = new int[columns + Im2Col.Slack / sizeof(int)];

    public int[] Accumulators { get; } = new int[accumulators];

    /// <summary>Makes the last output the next input.</summary>
    public void Swap() => (Front, Back) = (Back, Front);
}
