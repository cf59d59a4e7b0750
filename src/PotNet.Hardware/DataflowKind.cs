namespace PotNet.Hardware;

/// <summary>
/// How an accelerator moves operands between its storage levels and its PEs: its loop nest and
/// where each operand comes from. Every switch over it is exhaustive, so a new dataflow does not
/// compile as another.
/// </summary>
public enum DataflowKind
{
    /// <summary>
    /// Layer after layer, each output position's window streamed through the PEs: for position, for
    /// group of P channels, for step of L taps (<see cref="StreamDataflow"/>). Weights and taps are
    /// read from ROM at every step, activations from L-fold replicated banks at every lane.
    /// </summary>
    Stream,

    /// <summary>
    /// The same loop nest with the fetches moved to small local storage (<see cref="RowBufferDataflow"/>):
    /// each weight read once from its lane's weight ROM (into the lane's weight register file when a
    /// convolution needs it again at every position), each layer's input read once from single-copy
    /// activation RAM into a row buffer of k input rows, which the lanes read; counters instead of
    /// the tap ROM.
    /// </summary>
    RowBuffer,
}
