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
}
