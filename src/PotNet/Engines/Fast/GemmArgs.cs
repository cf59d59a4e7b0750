namespace PotNet.Engines.Fast;

/// <summary>
/// One layer's product for one image (or one convolution group's): <paramref name="Columns"/> is
/// [Positions, Units] packed units, <paramref name="Weights"/> [Units, Width] with each block of lanes' rows
/// in the order <paramref name="RowUnits"/> gives and its first <paramref name="PairedRows"/> summed as int16
/// pairs (see <see cref="PackedWeights"/>), <paramref name="Bias"/> [Width]; the result, [Positions, Width], goes to the kernel's output (<see cref="IGemmOutput{TVector}"/>).
/// Width is the output channels padded with zero weights to the kernel's vector width.
/// </summary>
internal readonly ref struct GemmArgs(ReadOnlySpan<int> Columns, ReadOnlySpan<int> Weights, ReadOnlySpan<int> Bias, ReadOnlySpan<int> RowUnits, ReadOnlySpan<int> PairedRows, int Positions, int Units, int Width)
{
    public ReadOnlySpan<int> Columns { get; } = Columns;

    public ReadOnlySpan<int> Weights { get; } = Weights;

    public ReadOnlySpan<int> Bias { get; } = Bias;

    public ReadOnlySpan<int> RowUnits { get; } = RowUnits;

    public ReadOnlySpan<int> PairedRows { get; } = PairedRows;

    public int Positions { get; } = Positions;

    public int Units { get; } = Units;

    public int Width { get; } = Width;
}
