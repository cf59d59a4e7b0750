namespace PotNet.Hardware;

/// <summary>
/// The counters' view of a pass: it walks output channels (a pool's; one for a weighted layer, whose
/// channels are the PEs'), output rows and columns, and per position reads a window of the input.
/// A dense layer is a 1x1 window over a 1x1 input.
/// </summary>
/// <param name="InHeight">Input rows (1 for a dense layer).</param>
/// <param name="InWidth">Input columns.</param>
/// <param name="Stride">Step between windows.</param>
/// <param name="Padding">Zero padding on each side.</param>
/// <param name="OutHeight">Output rows.</param>
/// <param name="OutWidth">Output columns.</param>
/// <param name="Channels">Channels the counters walk: a pool's channels, 1 for a weighted layer.</param>
public sealed record PassWindow(int InHeight, int InWidth, int Stride, int Padding, int OutHeight, int OutWidth, int Channels)
{
    /// <summary>Output positions per channel.</summary>
    public int OutPositions => OutHeight * OutWidth;
}
