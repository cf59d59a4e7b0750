namespace PotNet.Hardware;

/// <summary>
/// How a tensor lies in an activation buffer's P banks: element <c>(c, n)</c> of a tensor of
/// <see cref="Channels"/> channels and <see cref="Positions"/> positions per channel (CHW order) lives
/// in bank <c>c mod P</c> at in-bank address <c>(c div P) * Positions + n</c>. PE j of a group writes
/// channel group*P + j, so each bank takes at most one write per cycle; a pool's window and a
/// convolution tap's channel each sit in one bank.
/// </summary>
/// <param name="Channels">Channels as stored: what the producing pass wrote (a flatten stores nothing anew).</param>
/// <param name="Positions">Positions per channel (height x width).</param>
public sealed record BankLayout(int Channels, int Positions)
{
    /// <summary>Elements of the tensor.</summary>
    public int Size => Channels * Positions;

    /// <summary>Bytes the fullest bank holds with <paramref name="parallel"/> banks.</summary>
    public int Depth(int parallel) => (Channels + parallel - 1) / parallel * Positions;

    /// <summary>The bank and in-bank address of element <paramref name="index"/> (its CHW index) with <paramref name="parallel"/> banks.</summary>
    public (int Bank, int Address) Locate(int index, int parallel)
    {
        int channel = index / Positions, position = index % Positions;
        return (channel % parallel, (channel / parallel * Positions) + position);
    }
}
