using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PotNet.Engines.Fast;

/// <summary>
/// <c>acc + dot(x, w)</c> per 32-bit lane, where each lane of <c>x</c> and <c>w</c> is one packed
/// <see cref="UnitKind"/> unit. Implementations are exact: int32 sums wrap exactly as the reference's
/// int arithmetic does, and no step saturates unless the packing proved it cannot.
/// </summary>
internal interface IMulAdd<TVector>
{
    static abstract TVector Invoke(TVector acc, TVector x, TVector w);
}

/// <summary>u8 x s8 quads: <c>vpmaddubsw</c> saturates to int16, so the packing only picks this when every pair's sum fits.</summary>
internal readonly struct Avx512Quad : IMulAdd<Vector512<int>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Invoke(Vector512<int> acc, Vector512<int> x, Vector512<int> w) =>
        acc + Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(x.AsByte(), w.AsSByte()), Vector512<short>.One);
}

/// <summary>int16 pairs: <c>vpmaddwd</c> is exact for u8 activations and int16 weights.</summary>
internal readonly struct Avx512Pair : IMulAdd<Vector512<int>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Invoke(Vector512<int> acc, Vector512<int> x, Vector512<int> w) =>
        acc + Avx512BW.MultiplyAddAdjacent(x.AsInt16(), w.AsInt16());
}

/// <summary>int32 singles: the low 32 bits of the product, as C#'s int multiply.</summary>
internal readonly struct Single512 : IMulAdd<Vector512<int>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Invoke(Vector512<int> acc, Vector512<int> x, Vector512<int> w) => acc + x * w;
}

/// <inheritdoc cref="Avx512Quad"/>
internal readonly struct Avx2Quad : IMulAdd<Vector256<int>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Invoke(Vector256<int> acc, Vector256<int> x, Vector256<int> w) =>
        acc + Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(x.AsByte(), w.AsSByte()), Vector256<short>.One);
}

/// <inheritdoc cref="Avx512Pair"/>
internal readonly struct Avx2Pair : IMulAdd<Vector256<int>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Invoke(Vector256<int> acc, Vector256<int> x, Vector256<int> w) =>
        acc + Avx2.MultiplyAddAdjacent(x.AsInt16(), w.AsInt16());
}

/// <summary>u8 x s8 quads with <c>vpdpbusd</c>: exact for any s8 weight (no intermediate saturation).</summary>
internal readonly struct VnniQuad : IMulAdd<Vector256<int>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Invoke(Vector256<int> acc, Vector256<int> x, Vector256<int> w) =>
        AvxVnni.MultiplyWideningAndAdd(acc, x.AsByte(), w.AsSByte());
}

/// <summary>int16 pairs with <c>vpdpwssd</c> (the non-saturating form).</summary>
internal readonly struct VnniPair : IMulAdd<Vector256<int>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Invoke(Vector256<int> acc, Vector256<int> x, Vector256<int> w) =>
        AvxVnni.MultiplyWideningAndAdd(acc, x.AsInt16(), w.AsInt16());
}

/// <inheritdoc cref="Single512"/>
internal readonly struct Single256 : IMulAdd<Vector256<int>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Invoke(Vector256<int> acc, Vector256<int> x, Vector256<int> w) => acc + x * w;
}

/// <inheritdoc cref="Single512"/>
internal readonly struct SingleVector : IMulAdd<Vector<int>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<int> Invoke(Vector<int> acc, Vector<int> x, Vector<int> w) => acc + x * w;
}
