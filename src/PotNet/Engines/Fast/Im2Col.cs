using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PotNet.Engines.Fast;

/// <summary>
/// A layer's im2col as runs: each position's row of the index table (physical input indices, -1 for
/// the padding) compressed into maximal runs of consecutive indices, which are copied whole, and runs
/// of padding, which are cleared. With channels-last activations and the reduction ordered by input
/// index, a 3x3 convolution over 32 channels copies three runs of 96 bytes per position instead of
/// 288 single bytes.
/// </summary>
internal sealed class Im2Col
{
    private readonly int[] _source;
    private readonly int[] _length;

    /// <summary>Compresses <paramref name="table"/>, [positions, rowLength].</summary>
    public Im2Col(int[] table, int rowLength)
    {
        var source = new List<int>();
        var length = new List<int>();
        for (int p = 0; p < table.Length / rowLength; p++)
        {
            for (int j = 0; j < rowLength;)
            {
                int start = table[p * rowLength + j], run = 1;
                while (j + run < rowLength && Continues(start, run, table[p * rowLength + j + run])) run++;
                source.Add(start);
                length.Add(run);
                j += run;
            }
        }

        _source = [.. source];
        _length = [.. length];
    }

    /// <summary>Bytes that the input and output buffers must hold beyond their data, for short runs' 16-byte moves.</summary>
    public const int Slack = 16;

    /// <summary>Writes the rows as bytes, shorts or ints (by <paramref name="kind"/>) into <paramref name="columns"/>.</summary>
    public void Gather(ReadOnlySpan<byte> input, Span<int> columns, UnitKind kind)
    {
        switch (kind)
        {
            case UnitKind.Quad: Copy(input, MemoryMarshal.AsBytes(columns)); break;
            case UnitKind.Pair: Widen(input, MemoryMarshal.Cast<int, short>(columns)); break;
            default: Widen(input, columns); break;
        }
    }

    private static bool Continues(int start, int offset, int next) => start < 0 ? next < 0 : next == start + offset;

    private void Copy(ReadOnlySpan<byte> input, Span<byte> output)
    {
        ref byte source = ref MemoryMarshal.GetReference(input);
        int at = 0;
        for (int r = 0; r < _source.Length; r++)
        {
            int length = _length[r];
            ref byte target = ref Unsafe.Add(ref MemoryMarshal.GetReference(output), at);
            if (length <= Slack)
            {
                // One 16-byte move for a short run: it may spill into bytes that later runs overwrite,
                // or into the buffers' slack.
                Vector128<byte> bytes = _source[r] < 0 ? Vector128<byte>.Zero : Vector128.LoadUnsafe(ref Unsafe.Add(ref source, _source[r]));
                bytes.StoreUnsafe(ref target);
            }
            else if (_source[r] < 0)
            {
                output.Slice(at, length).Clear();
            }
            else
            {
                Unsafe.CopyBlockUnaligned(ref target, ref Unsafe.Add(ref source, _source[r]), (uint)length);
            }

            at += length;
        }
    }

    private void Widen<T>(ReadOnlySpan<byte> input, Span<T> output)
        where T : struct, System.Numerics.IBinaryInteger<T>
    {
        int at = 0;
        for (int r = 0; r < _source.Length; r++)
        {
            int start = _source[r], length = _length[r];
            for (int i = 0; i < length; i++) output[at + i] = start < 0 ? T.Zero : T.CreateTruncating(input[start + i]);
            at += length;
        }
    }
}
