using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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

    /// <summary>The columns as bytes, where <see cref="IGemmColumns"/> offsets point.</summary>
    public ref byte ColumnBytes => ref Unsafe.As<int, byte>(ref MemoryMarshal.GetReference(Columns));

    /// <summary>The first weight row of block <paramref name="block"/>, <paramref name="lanes"/> channels wide.</summary>
    public ref int BlockWeights(int block, int lanes) => ref Unsafe.Add(ref MemoryMarshal.GetReference(Weights), block * lanes * Units);

    /// <summary>Block <paramref name="block"/>'s row order (<see cref="RowUnits"/>).</summary>
    public ref int BlockRows(int block) => ref Unsafe.Add(ref MemoryMarshal.GetReference(RowUnits), block * Units);
}
