namespace PotNet.Engines.Fast;

/// <summary>
/// One layer's product for one image (or one convolution group's): <paramref name="Columns"/> is
/// [Positions, Units] packed units, <paramref name="Weights"/> [Units, Width], <paramref name="Bias"/>
/// [Width], and <paramref name="Accumulators"/> receives [Positions, Width] in rows of
/// <paramref name="Stride"/> ints (Stride = Width for one group; a group writes its columns of the
/// layer's rows). Width is the output channels padded with zero weights to the kernel's vector width.
/// </summary>
internal readonly ref struct GemmArgs(ReadOnlySpan<int> Columns, ReadOnlySpan<int> Weights, ReadOnlySpan<int> Bias, Span<int> Accumulators, int Positions, int Units, int Width, int Stride)
{
    public ReadOnlySpan<int> Columns { get; } = Columns;

    public ReadOnlySpan<int> Weights { get; } = Weights;

    public ReadOnlySpan<int> Bias { get; } = Bias;

    public Span<int> Accumulators { get; } = Accumulators;

    public int Positions { get; } = Positions;

    public int Units { get; } = Units;

    public int Width { get; } = Width;

    public int Stride { get; } = Stride;
}
