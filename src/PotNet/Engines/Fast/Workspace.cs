namespace PotNet.Engines.Fast;

/// <summary>
/// One thread's buffers for one inference at a time, sized once for the whole model so that
/// inference allocates nothing: two activation buffers (each ending in a byte that stays zero, read
/// for the padding) and the im2col columns and accumulators of the largest layer.
/// </summary>
internal sealed class Workspace(int activations, int columns, int accumulators)
{
    /// <summary>The index of the always-zero byte in both activation buffers.</summary>
    public int ZeroSlot { get; } = activations;

    public byte[] Front { get; private set; } = new byte[activations + 1];

    public byte[] Back { get; private set; } = new byte[activations + 1];

    public int[] Columns { get; } = new int[columns];

    public int[] Accumulators { get; } = new int[accumulators];

    /// <summary>Makes the last output the next input.</summary>
    public void Swap() => (Front, Back) = (Back, Front);
}
