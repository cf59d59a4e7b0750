using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace PotNet.Engines.Fast;

/// <summary>
/// The few operations <see cref="Gemm"/> and its outputs need on a vector of int32 lanes. The runtime's own
/// <c>ISimdVector</c> would serve but is internal, so this is the shim; each member is one intrinsic.
/// </summary>
internal interface ISimdWidth<TVector>
{
    static abstract int Lanes { get; }

    static abstract TVector Load(ref int source, nuint offset);

    static abstract TVector Broadcast(int value);

    static abstract void Store(TVector value, ref int destination, nuint offset);

    static abstract TVector Max(TVector left, TVector right);

    /// <summary>
    /// Requantises the lanes of <paramref name="sums"/> to u8 by their shifts less one (each shift at least 1,
    /// see <see cref="Requantizer"/>) and stores the <see cref="Lanes"/> bytes at <paramref name="destination"/> + <paramref name="offset"/>.
    /// </summary>
    static abstract void StoreRequantized(TVector sums, TVector countsLessOne, ref byte destination, nuint offset);
}

/// <summary>512-bit vectors: 16 lanes.</summary>
internal readonly struct Width512 : ISimdWidth<Vector512<int>>
{
    public static int Lanes => Vector512<int>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Load(ref int source, nuint offset) => Vector512.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Broadcast(int value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<int> value, ref int destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<int> Max(Vector512<int> left, Vector512<int> right) => Vector512.Max(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreRequantized(Vector512<int> sums, Vector512<int> countsLessOne, ref byte destination, nuint offset)
    {
        Vector512<int> v = Avx512F.ShiftRightArithmeticVariable(sums, countsLessOne.AsUInt32());
        Vector512<int> y = Vector512.Min(Vector512.Max((v >> 1) + (v & Vector512<int>.One), Vector512<int>.Zero), Vector512.Create(255));
        Avx512F.ConvertToVector128Byte(y).StoreUnsafe(ref destination, offset);
    }
}

/// <summary>256-bit vectors: 8 lanes.</summary>
internal readonly struct Width256 : ISimdWidth<Vector256<int>>
{
    public static int Lanes => Vector256<int>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Load(ref int source, nuint offset) => Vector256.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Broadcast(int value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<int> value, ref int destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Max(Vector256<int> left, Vector256<int> right) => Vector256.Max(left, right);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreRequantized(Vector256<int> sums, Vector256<int> countsLessOne, ref byte destination, nuint offset)
    {
        Vector256<int> v = Avx2.ShiftRightArithmeticVariable(sums, countsLessOne.AsUInt32());
        Vector256<int> y = Vector256.Min(Vector256.Max((v >> 1) + (v & Vector256<int>.One), Vector256<int>.Zero), Vector256.Create(255));
        Vector256<short> words = Vector256.Narrow(y, y);
        Unsafe.WriteUnaligned(ref Unsafe.Add(ref destination, offset), Vector256.Narrow(words, words).AsUInt64().ToScalar());
    }
}

/// <summary>The portable <see cref="Vector{T}"/>, whatever width the hardware gives it.</summary>
internal readonly struct WidthVector : ISimdWidth<Vector<int>>
{
    public static int Lanes => Vector<int>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<int> Load(ref int source, nuint offset) => Vector.LoadUnsafe(ref source, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<int> Broadcast(int value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector<int> value, ref int destination, nuint offset) => value.StoreUnsafe(ref destination, offset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector<int> Max(Vector<int> left, Vector<int> right) => Vector.Max(left, right);

    /// <summary><see cref="Vector{T}"/> has no per-lane shift: lane by lane, with the scalar definition.</summary>
    public static void StoreRequantized(Vector<int> sums, Vector<int> countsLessOne, ref byte destination, nuint offset)
    {
        for (int i = 0; i < Vector<int>.Count; i++)
        {
            Unsafe.Add(ref destination, offset + (nuint)i) = Requantization.Requantize(sums[i], countsLessOne[i] + 1);
        }
    }
}
