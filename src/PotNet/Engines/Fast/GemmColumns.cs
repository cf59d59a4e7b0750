using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PotNet.Engines.Fast;

/// <summary>
/// Where <see cref="Gemm"/> finds the unit it broadcasts: position <c>p</c>'s unit <c>u</c> is the 32 bits at
/// byte <c>Row(p) + Unit(u)</c> of the columns buffer. A struct type argument, like the width and the
/// multiply-add, so the JIT compiles each addressing into the loop nest.
/// </summary>
internal interface IGemmColumns
{
    /// <summary>Byte offset of position <paramref name="position"/>'s first unit.</summary>
    int Row(int position);

    /// <summary>Byte offset of unit <paramref name="unit"/> from its position's first.</summary>
    int Unit(int unit);
}

/// <summary>The im2col table: rows of <c>units</c> consecutive units, one per position.</summary>
internal readonly struct PackedColumns(int units) : IGemmColumns
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Row(int position) => position * units * sizeof(int);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Unit(int unit) => unit * sizeof(int);
}

/// <summary>
/// An <see cref="InputPlane"/>: the units are read where they lie in the padded input plane, at the
/// position's top-left byte plus the unit's tap offset, so that no im2col table is written.
/// </summary>
internal readonly ref struct PlaneColumns(ReadOnlySpan<int> rows, ReadOnlySpan<int> taps) : IGemmColumns
{
    private readonly ReadOnlySpan<int> _rows = rows, _taps = taps;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Row(int position) => Unsafe.Add(ref MemoryMarshal.GetReference(_rows), position);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Unit(int unit) => Unsafe.Add(ref MemoryMarshal.GetReference(_taps), unit);
}
