using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace PotNet.Engines.Fast;

/// <summary>
/// The few operations <see cref="Gemm"/> needs on a vector of int32 lanes. The runtime's own
/// <c>ISimdVector</c> would serve but is internal, so this is the shim; each member is one intrinsic.
/// </summary>
internal interface ISimdWidth<TVector>
{
    static abstract int Lanes { get; }

    static abstract TVector Load(ref int source, nuint offset);

    static abstract TVector Broadcast(int value);

    static abstract void Store(TVector value, ref int destination, nuint offset);
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
}
