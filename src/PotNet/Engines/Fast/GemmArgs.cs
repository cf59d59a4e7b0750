namespace PotNet.Engines.Fast;

/// <summary>
/// One layer's product for one image (or one convolution group's): <paramref name="Columns"/> is
/// [Positions, Units] packed units, <paramref name="Weights"/> [Units, Width], <paramref name="Bias"/>
/// [Width]; the result, [Positions, Width], goes to the kernel's output (<see cref="IGemmOutput{TVector}"/>).
/// Width is the output channels padded with zero weights to the kernel's vector width.
/// </summary>
internal readonly ref struct GemmArgs(ReadOnlySpan<int> Columns, ReadOnlySpan<int> Weights, ReadOnlySpan<int> Bias, int Positions, int Units, int Width)
{
    public ReadOnlySpan<int> Columns { get; } = Columns;

    public ReadOnlySpan<int> Weights { get; } = Weights;

    public ReadOnlySpan<int> Bias { get; } = Bias;

    public int Positions { get; } = Positions;

    public int Units { get; } = Units;

    public int Width { get; } = Width;
}
