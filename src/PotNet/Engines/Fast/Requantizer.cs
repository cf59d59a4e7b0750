using System.Runtime.InteropServices;
using System.Numerics;
using System.Runtime.Intrinsics;
using PotNet.Engines;

namespace PotNet.Engines.Fast;

/// <summary>
/// Requantises a layer's accumulators [positions, width] to u8 channels-last with the given row
/// stride. Where every channel's shift r is at least 1, a vector of channels at a time
/// (<see cref="ISimdWidth{TVector}.StoreRequantized"/>): <c>v = acc &gt;&gt; (r-1)</c>, <c>y = (v &gt;&gt; 1) + (v &amp; 1)</c>, which is
/// <c>(acc + 2^(r-1)) &gt;&gt; r</c> without the overflow of the addition (counts past 31 fill with the
/// sign, as the wide shift would), then the clamp to [0, 255]; the product's epilogue does the same
/// (<see cref="Output"/>) when nothing is added to the sums first. Otherwise channel by channel with
/// <see cref="Requantization.Requantize"/>, the definition that the vector form is tested against.
/// </summary>
internal sealed class Requantizer
{
    private readonly int[] _shifts;
    private readonly int[] _countsLessOne;
    private readonly FastPath _path;
    private readonly int _channels, _stride;

    public Requantizer(int[] shifts, int width, int stride, FastPath path)
    {
        _stride = stride;
        _shifts = shifts;
        _channels = shifts.Length;
        _countsLessOne = new int[width];
        Vector = Vectorizes(shifts, path);
        _path = path;
        for (int co = 0; co < shifts.Length; co++) _countsLessOne[co] = Math.Max(shifts[co] - 1, 0);
    }

    /// <summary>True when every shift is at least 1 and the path has vectors: the vector form applies, and can be fused.</summary>
    public bool Vector { get; }

    /// <summary>Whether the vector form applies to <paramref name="shifts"/> on <paramref name="path"/> (<see cref="Vector"/>).</summary>
    public static bool Vectorizes(IEnumerable<int> shifts, FastPath path) => shifts.All(r => r >= 1) && path != FastPath.Scalar;

    /// <summary>The fused epilogue writing channels from <paramref name="column"/> on into <paramref name="output"/> (when <see cref="Vector"/>).</summary>
    public RequantizedOutput<TVector, TWidth> Output<TVector, TWidth>(Span<byte> output, int column)
        where TWidth : ISimdWidth<TVector> => new(output[column..], _countsLessOne.AsSpan(column), _stride);

    public void Run(ReadOnlySpan<int> accumulators, Span<byte> output, int positions)
    {
        switch (Vector ? _path : FastPath.Scalar)
        {
            case FastPath.Avx512: Run<Vector512<int>, Width512>(accumulators, output, positions); break;
            case FastPath.Avx2 or FastPath.AvxVnni: Run<Vector256<int>, Width256>(accumulators, output, positions); break;
            case FastPath.Vector: Run<Vector<int>, WidthVector>(accumulators, output, positions); break;
            default:
                for (int p = 0; p < positions; p++)
                {
                    for (int co = 0; co < _channels; co++)
                    {
                        output[p * _stride + co] = Requantization.Requantize(accumulators[p * _countsLessOne.Length + co], _shifts[co]);
                    }
                }

                break;
        }
    }

    private void Run<TVector, TWidth>(ReadOnlySpan<int> accumulators, Span<byte> output, int positions)
        where TWidth : ISimdWidth<TVector>
    {
        int width = _countsLessOne.Length;
        ref int acc = ref MemoryMarshal.GetReference(accumulators);
        RequantizedOutput<TVector, TWidth> target = Output<TVector, TWidth>(output, 0);
        for (int p = 0; p < positions; p++)
        {
            for (int co = 0; co < width; co += TWidth.Lanes) target.Store(TWidth.Load(ref acc, (nuint)(p * width + co)), p, co);
        }
    }
}
