namespace PotNet.Engines.Fast;

/// <summary>
/// One layer's product for one image: <paramref name="Columns"/> is [Positions, Groups] packed units,
/// <paramref name="Weights"/> [Groups, Width], <paramref name="Bias"/> [Width], and
/// <paramref name="Accumulators"/> receives [Positions, Width]. Width is the output channels padded
/// with zero weights to the kernel's vector width.
/// </summary>
internal readonly ref struct GemmArgs(ReadOnlySpan<int> Columns, ReadOnlySpan<int> Weights, ReadOnlySpan<int> Bias, Span<int> Accumulators, int Positions, int Groups, int Width)
{
    public ReadOnlySpan<int> Columns { get; } = Columns;

    public ReadOnlySpan<int> Weights { get; } = Weights;

    public ReadOnlySpan<int> Bias { get; } = Bias;

    public Span<int> Accumulators { get; } = Accumulators;

    public int Positions { get; } = Positions;

    public int Groups { get; } = Groups;

    public int Width { get; } = Width;
}
