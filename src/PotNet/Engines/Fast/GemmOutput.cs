using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PotNet.Engines.Fast;

/// <summary>
/// Where <see cref="Gemm"/> puts each finished vector of sums (<c>TWidth.Lanes</c> channels of one position):
/// the kernel's epilogue. A struct type argument, so that the JIT inlines it into the loop nest.
/// </summary>
internal interface IGemmOutput<TVector>
{
    void Store(TVector sums, int position, int channel);
}

/// <summary>
/// The int32 sums, rows of <c>stride</c> ints: for the logits, and for layers that add padding values or a
/// residual source to them before requantising.
/// </summary>
internal readonly ref struct SumsOutput<TVector, TWidth>(Span<int> sums, int stride) : IGemmOutput<TVector>
    where TWidth : ISimdWidth<TVector>
{
    private readonly Span<int> _sums = sums;
    private readonly int _stride = stride;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(TVector sums, int position, int channel) =>
        TWidth.Store(sums, ref MemoryMarshal.GetReference(_sums), (nuint)(position * _stride + channel));
}

/// <summary>
/// Requantisation fused into the epilogue: u8 channels-last rows of <c>stride</c> bytes, each channel by its
/// shift less one (<see cref="Requantizer"/>'s vector form), so the int32 sums never reach memory.
/// </summary>
internal readonly ref struct RequantizedOutput<TVector, TWidth>(Span<byte> output, ReadOnlySpan<int> countsLessOne, int stride) : IGemmOutput<TVector>
    where TWidth : ISimdWidth<TVector>
{
    private readonly Span<byte> _output = output;
    private readonly ReadOnlySpan<int> _counts = countsLessOne;
    private readonly int _stride = stride;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(TVector sums, int position, int channel) =>
        TWidth.StoreRequantized(sums, TWidth.Load(ref MemoryMarshal.GetReference(_counts), (nuint)channel), ref MemoryMarshal.GetReference(_output), (nuint)(position * _stride + channel));
}
