using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PotNet.Engines.Fast;

/// <summary>
/// Where <see cref="Gemm"/> puts each finished vector of sums (<c>TWidth.Lanes</c> channels of one position):
/// the kernel's epilogue. A struct type argument, so that the JIT inlines it into the loop nest.
/// </summary>
internal interface IGemmOutput<TVector>
{
    /// <summary>The sums of one position's channels from <paramref name="channel"/> on.</summary>
    void Store(TVector sums, int position, int channel);

    /// <summary>
    /// The sums of a quartet, positions <paramref name="position"/> to <paramref name="position"/> + 3, as the
    /// loop nest finishes them together: where they are one pooling window (<see cref="MaxPooledOutput{TVector, TWidth}"/>),
    /// the epilogue takes their maximum.
    /// </summary>
    void Store(TVector s0, TVector s1, TVector s2, TVector s3, int position, int channel);
}

/// <summary>The quartet store of the outputs that keep every position: the four positions one after another.</summary>
internal static class GemmOutput
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void StoreEach<TVector, TOutput>(TOutput output, TVector s0, TVector s1, TVector s2, TVector s3, int position, int channel)
        where TOutput : IGemmOutput<TVector>, allows ref struct
    {
        output.Store(s0, position, channel);
        output.Store(s1, position + 1, channel);
        output.Store(s2, position + 2, channel);
        output.Store(s3, position + 3, channel);
    }
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(TVector s0, TVector s1, TVector s2, TVector s3, int position, int channel) =>
        GemmOutput.StoreEach<TVector, SumsOutput<TVector, TWidth>>(this, s0, s1, s2, s3, position, channel);
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(TVector s0, TVector s1, TVector s2, TVector s3, int position, int channel) =>
        GemmOutput.StoreEach<TVector, RequantizedOutput<TVector, TWidth>>(this, s0, s1, s2, s3, position, channel);
}

/// <summary>
/// A 2x2 max pool fused into the epilogue of the convolution it reads: the product's positions come in
/// quartets that are each one pooling window (<see cref="ComputeStep"/> orders them so), and the window's
/// maximum is requantised into pooled position <c>position / 4</c>. Exact because requantisation is
/// monotonic: the largest u8 of four requantised sums is the requantised largest sum. The convolution's own
/// output never reaches memory, nor does a pool read it back.
/// </summary>
internal readonly ref struct MaxPooledOutput<TVector, TWidth>(RequantizedOutput<TVector, TWidth> pooled) : IGemmOutput<TVector>
    where TWidth : ISimdWidth<TVector>
{
    private readonly RequantizedOutput<TVector, TWidth> _pooled = pooled;

    /// <summary>Never called: a pooled product's positions are whole windows, so every position is in a quartet.</summary>
    public void Store(TVector sums, int position, int channel) =>
        throw new UnreachableException($"position {position} of a max-pooled product outside a window of four");

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(TVector s0, TVector s1, TVector s2, TVector s3, int position, int channel) =>
        _pooled.Store(TWidth.Max(TWidth.Max(s0, s1), TWidth.Max(s2, s3)), position / 4, channel);
}
