using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace PotNet.Engines.Fast;

/// <summary>
/// A layer's im2col as runs: each position's row of the index table (physical input indices, -1 for
/// the padding, <see cref="Unused"/> for the reduction's tail up to a whole unit) compressed into maximal
/// runs of consecutive indices, which are copied whole, runs of padding, which are cleared, and the tail,
/// left as it is: its weights are zero, so whatever integers it holds add nothing. With channels-last activations and the reduction ordered by input
/// index, a 3x3 convolution over 32 channels copies three runs of 96 bytes per position instead of
/// 288 single bytes.
/// </summary>
internal sealed class Im2Col
{
    private readonly Run[] _runs;

    /// <summary>Compresses <paramref name="table"/>, [positions, rowLength].</summary>
    public Im2Col(int[] table, int rowLength)
    {
        var runs = new List<Run>();
        for (int p = 0; p < table.Length / rowLength; p++)
        {
            for (int j = 0; j < rowLength;)
            {
                int start = table[p * rowLength + j], run = 1;
                while (j + run < rowLength && run < ushort.MaxValue && Continues(start, run, table[p * rowLength + j + run])) run++;
                if (start == Unused && j > 0 && runs[^1].Length + run <= ushort.MaxValue)
                {
                    // The tail is skipped, not written: the row's last run steps over it.
                    runs[^1] = runs[^1] with { Length = (ushort)(runs[^1].Length + run) };
                }
                else
                {
                    runs.Add(new Run(start == Unused ? Padding : start, (ushort)run, start == Unused ? (ushort)0 : (ushort)run));
                }

                j += run;
            }
        }

        _runs = [.. runs];
    }

    /// <summary>
    /// Bytes that the input and output buffers must hold beyond their data: runs move in whole
    /// <see cref="Vector256{T}"/>s, which may read and write up to one vector past a run's end.
    /// </summary>
    public const int Slack = 32;

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

    /// <summary>The table's entry for the reduction's tail, past the fan-in, up to a whole unit.</summary>
    public const int Unused = -2;

    /// <summary>A run's source for padding: any negative index reads as zero.</summary>
    private const int Padding = -1;

    private static bool Continues(int start, int offset, int next) => start < 0 ? next == start : next == start + offset;

    /// <summary>
    /// Each run as whole 32-byte moves, ANDed with its mask (all ones, or zeros for padding, which reads
    /// from index 0): no branch but the move count. A move may spill past the run into bytes that later
    /// runs overwrite, or into the buffers' slack. Only quads (AVX2 or better) come here.
    /// </summary>
    private void Copy(ReadOnlySpan<byte> input, Span<byte> output)
    {
        ref byte source = ref MemoryMarshal.GetReference(input);
        ref byte target = ref MemoryMarshal.GetReference(output);
        nuint at = 0;
        foreach (Run run in _runs)
        {
            int padding = run.Source >> 31;
            Vector256<byte> keep = Vector256.Create(~padding).AsByte();
            ref byte from = ref Unsafe.Add(ref source, run.Source & ~padding);
            for (nuint i = 0; i < run.Written; i += (nuint)Vector256<byte>.Count)
            {
                (Vector256.LoadUnsafe(ref from, i) & keep).StoreUnsafe(ref target, at + i);
            }

            at += run.Length;
        }
    }

    private void Widen<T>(ReadOnlySpan<byte> input, Span<T> output)
        where T : struct, System.Numerics.IBinaryInteger<T>
    {
        int at = 0;
        foreach (Run run in _runs)
        {
            for (int i = 0; i < run.Written; i++) output[at + i] = run.Source < 0 ? T.Zero : T.CreateTruncating(input[run.Source + i]);
            at += run.Length;
        }
    }

    /// <summary>
    /// A run of <see cref="Length"/> entries from <see cref="Source"/> (negative: padding, written as
    /// zeros), of which the first <see cref="Written"/> are written: all, or none for a row that starts
    /// in the reduction's tail; a row's last run also steps over the tail. Eight bytes, so that the runs
    /// of a layer like lenet5's conv1 (five 5-byte runs per position) stay in the cache beside the rows.
    /// </summary>
    private readonly record struct Run(int Source, ushort Length, ushort Written);
}
