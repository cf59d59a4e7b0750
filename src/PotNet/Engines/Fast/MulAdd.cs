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

    /// <summary>
    /// <c>acc + dot(x0, w0) + dot(x1, w1)</c> for two units the packing paired (<see cref="UnitPairing"/>):
    /// without VNNI, quads sum both in int16 before they widen; every other kind is two <see cref="Invoke"/>s.
    /// </summary>
    static abstract TVector InvokePair(TVector acc, TVector x0, TVector w0, TVector x1, TVector w1);
}

/// <summary>u8 x s8 quads: <c>vpmaddubsw</c> saturates to int16, so the packing only picks this when every pair's sum fits.</summary>
internal readonly struct Avx512Quad : IMulAdd<Vector512<int>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Invoke(Vector512<int> acc, Vector512<int> x, Vector512<int> w) =>
        acc + Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(x.AsByte(), w.AsSByte()), Vector512<short>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> InvokePair(Vector512<int> acc, Vector512<int> x0, Vector512<int> w0, Vector512<int> x1, Vector512<int> w1) =>
        acc + Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(x0.AsByte(), w0.AsSByte()) + Avx512BW.MultiplyAddAdjacent(x1.AsByte(), w1.AsSByte()), Vector512<short>.One);
}

/// <summary>int16 pairs: <c>vpmaddwd</c> is exact for u8 activations and int16 weights.</summary>
internal readonly struct Avx512Pair : IMulAdd<Vector512<int>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Invoke(Vector512<int> acc, Vector512<int> x, Vector512<int> w) =>
        acc + Avx512BW.MultiplyAddAdjacent(x.AsInt16(), w.AsInt16());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> InvokePair(Vector512<int> acc, Vector512<int> x0, Vector512<int> w0, Vector512<int> x1, Vector512<int> w1) => Invoke(Invoke(acc, x0, w0), x1, w1);
}

/// <summary>int32 singles: the low 32 bits of the product, as C#'s int multiply.</summary>
internal readonly struct Single512 : IMulAdd<Vector512<int>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Invoke(Vector512<int> acc, Vector512<int> x, Vector512<int> w) => acc + x * w;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> InvokePair(Vector512<int> acc, Vector512<int> x0, Vector512<int> w0, Vector512<int> x1, Vector512<int> w1) => Invoke(Invoke(acc, x0, w0), x1, w1);
}

/// <inheritdoc cref="Avx512Quad"/>
internal readonly struct Avx2Quad : IMulAdd<Vector256<int>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Invoke(Vector256<int> acc, Vector256<int> x, Vector256<int> w) =>
        acc + Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(x.AsByte(), w.AsSByte()), Vector256<short>.One);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> InvokePair(Vector256<int> acc, Vector256<int> x0, Vector256<int> w0, Vector256<int> x1, Vector256<int> w1) =>
        acc + Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(x0.AsByte(), w0.AsSByte()) + Avx2.MultiplyAddAdjacent(x1.AsByte(), w1.AsSByte()), Vector256<short>.One);
}

/// <inheritdoc cref="Avx512Pair"/>
internal readonly struct Avx2Pair : IMulAdd<Vector256<int>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Invoke(Vector256<int> acc, Vector256<int> x, Vector256<int> w) =>
        acc + Avx2.MultiplyAddAdjacent(x.AsInt16(), w.AsInt16());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> InvokePair(Vector256<int> acc, Vector256<int> x0, Vector256<int> w0, Vector256<int> x1, Vector256<int> w1) => Invoke(Invoke(acc, x0, w0), x1, w1);
}

/// <summary>u8 x s8 quads with <c>vpdpbusd</c>: exact for any s8 weight (no intermediate saturation).</summary>
internal readonly struct VnniQuad : IMulAdd<Vector256<int>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Invoke(Vector256<int> acc, Vector256<int> x, Vector256<int> w) =>
        AvxVnni.MultiplyWideningAndAdd(acc, x.AsByte(), w.AsSByte());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> InvokePair(Vector256<int> acc, Vector256<int> x0, Vector256<int> w0, Vector256<int> x1, Vector256<int> w1) => Invoke(Invoke(acc, x0, w0), x1, w1);
}

/// <summary>int16 pairs with <c>vpdpwssd</c> (the non-saturating form).</summary>
internal readonly struct VnniPair : IMulAdd<Vector256<int>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Invoke(Vector256<int> acc, Vector256<int> x, Vector256<int> w) =>
        AvxVnni.MultiplyWideningAndAdd(acc, x.AsInt16(), w.AsInt16());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> InvokePair(Vector256<int> acc, Vector256<int> x0, Vector256<int> w0, Vector256<int> x1, Vector256<int> w1) => Invoke(Invoke(acc, x0, w0), x1, w1);
}

/// <inheritdoc cref="Single512"/>
internal readonly struct Single256 : IMulAdd<Vector256<int>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Invoke(Vector256<int> acc, Vector256<int> x, Vector256<int> w) => acc + x * w;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> InvokePair(Vector256<int> acc, Vector256<int> x0, Vector256<int> w0, Vector256<int> x1, Vector256<int> w1) => Invoke(Invoke(acc, x0, w0), x1, w1);
}

/// <inheritdoc cref="Single512"/>
internal readonly struct SingleVector : IMulAdd<Vector<int>>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<int> Invoke(Vector<int> acc, Vector<int> x, Vector<int> w) => acc + x * w;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<int> InvokePair(Vector<int> acc, Vector<int> x0, Vector<int> w0, Vector<int> x1, Vector<int> w1) => Invoke(Invoke(acc, x0, w0), x1, w1);
}
