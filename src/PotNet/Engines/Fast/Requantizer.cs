using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using PotNet.Engines;

namespace PotNet.Engines.Fast;

/// <summary>
/// Requantises a layer's accumulators [positions, width] to u8 channels-last with the given row
/// stride. Where every channel's shift r is at least 1 and the path has per-lane shifts, 16 or 8
/// channels at a time: <c>v = acc &gt;&gt; (r-1)</c>, <c>y = (v &gt;&gt; 1) + (v &amp; 1)</c>, which is
/// <c>(acc + 2^(r-1)) &gt;&gt; r</c> without the overflow of the addition (counts past 31 fill with the
/// sign, as the wide shift would), then the clamp to [0, 255]. Otherwise channel by channel with
/// <see cref="Requantization.Requantize"/>, the definition that the vector form is tested against.
/// </summary>
internal sealed class Requantizer
{
    private readonly int[] _shifts;
    private readonly uint[] _countsLessOne;
    private readonly FastPath _path;
    private readonly int _channels, _stride;

    public Requantizer(int[] shifts, int width, int stride, FastPath path)
    {
        _stride = stride;
        _shifts = shifts;
        _channels = shifts.Length;
        _countsLessOne = new uint[width];
        bool vector = shifts.All(r => r >= 1) && path is FastPath.Avx512 or FastPath.Avx2 or FastPath.AvxVnni;
        _path = vector ? path : FastPath.Scalar;
        for (int co = 0; co < shifts.Length; co++) _countsLessOne[co] = (uint)Math.Max(shifts[co] - 1, 0);
    }

    public void Run(ReadOnlySpan<int> accumulators, Span<byte> output, int positions)
    {
        int width = _countsLessOne.Length;
        ref int acc = ref MemoryMarshal.GetReference(accumulators);
        ref uint counts = ref MemoryMarshal.GetArrayDataReference(_countsLessOne);
        ref byte target = ref MemoryMarshal.GetReference(output);
        if (_path == FastPath.Avx512)
        {
            for (int p = 0; p < positions; p++)
            {
                for (int co = 0; co < width; co += 16)
                {
                    Vector512<int> v = Avx512F.ShiftRightArithmeticVariable(Vector512.LoadUnsafe(ref acc, (nuint)(p * width + co)), Vector512.LoadUnsafe(ref counts, (nuint)co));
                    Vector512<int> y = Vector512.Min(Vector512.Max((v >> 1) + (v & Vector512<int>.One), Vector512<int>.Zero), Vector512.Create(255));
                    Avx512F.ConvertToVector128Byte(y).StoreUnsafe(ref target, (nuint)(p * _stride + co));
                }
            }
        }
        else if (_path != FastPath.Scalar)
        {
            for (int p = 0; p < positions; p++)
            {
                for (int co = 0; co < width; co += 8)
                {
                    Vector256<int> v = Avx2.ShiftRightArithmeticVariable(Vector256.LoadUnsafe(ref acc, (nuint)(p * width + co)), Vector256.LoadUnsafe(ref counts, (nuint)co));
                    Vector256<int> y = Vector256.Min(Vector256.Max((v >> 1) + (v & Vector256<int>.One), Vector256<int>.Zero), Vector256.Create(255));
                    Vector256<short> words = Vector256.Narrow(y, y);
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref target, p * _stride + co), Vector256.Narrow(words, words).AsUInt64().ToScalar());
                }
            }
        }
        else
        {
            for (int p = 0; p < positions; p++)
            {
                for (int co = 0; co < _channels; co++)
                {
                    output[p * _stride + co] = Requantization.Requantize(accumulators[p * width + co], _shifts[co]);
                }
            }
        }
    }
}
