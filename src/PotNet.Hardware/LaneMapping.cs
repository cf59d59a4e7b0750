namespace PotNet.Hardware;

/// <summary>
/// What a PE's L lanes compute at once in a pass: the L taps of one output (their products summed by
/// the adder tree into one accumulator), or one tap of L adjacent outputs (each lane its own
/// accumulator, the PE's one weight broadcast to all). Every switch over it is exhaustive.
/// </summary>
public enum LaneMapping
{
    /// <summary>Lane l takes tap step * L + l of the position's window: <see cref="DataflowKind.Stream"/>, and <see cref="DataflowKind.RowBuffer"/>'s dense layers and pools.</summary>
    Taps,

    /// <summary>
    /// Lane l computes output column tile * L + l of the row, all lanes the same tap (step) with the
    /// PE's one weight: <see cref="DataflowKind.RowBuffer"/>'s hidden convolutions (output-stationary
    /// over L positions, so a weight is read once per tile instead of once per position).
    /// </summary>
    Columns,
}
