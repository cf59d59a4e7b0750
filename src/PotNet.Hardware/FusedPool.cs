namespace PotNet.Hardware;

/// <summary>
/// A max pool fused into the row loads of the weighted pass that reads it
/// (<see cref="DataflowKind.RowBuffer"/>; the decision is <see cref="Schedule.Create"/>'s): the pool has
/// no pass, and the pass's row loader reads, for every element of its pooled input row, the
/// <c>Kernel x Kernel</c> window of the pool's input as its producer stored it, P banks at once, and
/// writes the window's maximum into the row buffer. Its stride is its kernel, and windows that do not
/// fit are dropped (floor mode), as <see cref="Model.Pool2d"/> does.
/// </summary>
/// <param name="Name">The pool layer's name.</param>
/// <param name="Kernel">The window's height and width (and the stride).</param>
/// <param name="SourceHeight">Rows of the pool's input, as stored.</param>
/// <param name="SourceWidth">Columns of the pool's input, as stored: the source address step of a window row.</param>
public sealed record FusedPool(string Name, int Kernel, int SourceHeight, int SourceWidth)
{
    /// <summary>Rows of the pooled input.</summary>
    public int Height => SourceHeight / Kernel;

    /// <summary>Columns of the pooled input.</summary>
    public int Width => SourceWidth / Kernel;
}
