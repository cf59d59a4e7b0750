namespace PotNet.Engines.Fast;

/// <summary>
/// One layer as the FastEngine runs it. Activations live in a physical layout of the engine's
/// choosing; <see cref="Layout"/> maps each logical (CHW) index of the step's output to its physical
/// index, so that index tables derived from <c>ConvGeometry.Gather</c> and <c>Pool2d.Windows</c> read
/// the right bytes.
/// </summary>
internal abstract class FastStep
{
    /// <summary>Physical index of each logical output element.</summary>
    public abstract int[] Layout { get; }

    /// <summary>Bytes the output occupies in its physical layout.</summary>
    public abstract int PhysicalSize { get; }

    /// <summary>Im2col columns this step needs, in 32-bit units.</summary>
    public virtual int ColumnUnits => 0;

    /// <summary>Accumulators this step needs.</summary>
    public virtual int AccumulatorCount => 0;

    /// <summary>The layer's name, and the step's place in the engine's order (set by the engine).</summary>
    public string Name { get; set; } = "";

    /// <inheritdoc cref="Name"/>
    public int Index { get; set; }

    /// <summary>Multiply-adds per image (a weighted layer's; zero for the others).</summary>
    public virtual long MultiplyAdds => 0;

    /// <summary>The workspace buffers holding the step's inputs (set by the engine when it allocates buffers).</summary>
    public int[] InputBuffers { get; set; } = [];

    /// <summary>The workspace buffer the step writes.</summary>
    public int OutputBuffer { get; set; }

    /// <summary>Computes the output from the input buffers into the output buffer.</summary>
    public abstract void Run(Workspace workspace);

    /// <summary>The buffer of input <paramref name="operand"/>.</summary>
    protected byte[] Input(Workspace workspace, int operand = 0) => workspace.Buffers[InputBuffers[operand]];

    /// <summary>The output buffer.</summary>
    protected byte[] Output(Workspace workspace) => workspace.Buffers[OutputBuffer];

    /// <summary>Maps logical indices through <paramref name="layout"/>; -1 (padding) stays -1.</summary>
    protected static int[] ToPhysical(int[] logical, int[] layout) =>
        Array.ConvertAll(logical, i => i < 0 ? -1 : layout[i]);

    /// <summary>
    /// The channels-last layout (HWC): a position's channels are contiguous, <paramref name="stride"/>
    /// bytes apart from the next position's (at least the channel count; more leaves room for
    /// whole-vector stores).
    /// </summary>
    protected static int[] ChannelsLast(Model.Shape shape, int stride)
    {
        int positions = shape.Height * shape.Width;
        var layout = new int[shape.Size];
        for (int c = 0; c < shape.Channels; c++)
        {
            for (int p = 0; p < positions; p++) layout[c * positions + p] = p * stride + c;
        }

        return layout;
    }
}
