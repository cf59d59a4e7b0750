using PotNet.Model;

namespace PotNet.Engines.Fast;

/// <summary>
/// The implicit im2col of a convolution group: the group's input is copied once into a padded channels-last
/// plane of bytes, and the kernel broadcasts each unit straight from it (<see cref="PlaneColumns"/>). A
/// kernel row's taps and channels lie side by side in the plane (<c>kx * depth + ci</c>), so a unit is four
/// consecutive bytes of one kernel row: the four bytes at the position's top-left corner plus the unit's
/// offset; kernel rows are padded with zero weights to whole units. The im2col table such a layer would
/// otherwise write holds every input byte up to kernel-area times: over one channel as runs of one kernel
/// row (lenet5's conv1: five runs of 5 bytes per position, 8.0 of its 12.8 us per image), over many as
/// 56 KB per image for cnn's conv2, whose plane is 8 KB.
/// </summary>
/// <remarks>
/// Only for quads: a unit of the plane is four bytes, and a pair or single unit would need the
/// activations widened. Kernel rows whose bytes are not a multiple of 4 cost more units than the
/// im2col's rows, which pack the whole reduction (lenet5's conv1: 10 units per position, not 7), so the
/// product grows, but it no longer waits for the copy.
/// </remarks>
internal sealed class InputPlane
{
    private InputPlane(int[] rows, int[] taps, int columnUnits)
    {
        Rows = rows;
        Taps = taps;
        ColumnUnits = columnUnits;
    }

    /// <summary>Byte offset in the plane of the top-left tap of each position of the product.</summary>
    public int[] Rows { get; }

    /// <summary>Byte offset of each unit (four bytes of one kernel row) from its position's top-left tap.</summary>
    public int[] Taps { get; }

    /// <summary>The plane's size in 32-bit units, with the bytes its last unit reads past the last tap.</summary>
    public int ColumnUnits { get; }

    /// <summary>
    /// The plane of a group with <paramref name="geometry"/>, the copy that fills it from the group's input
    /// (padding as zeros, as im2col clears it), and the weights packed for it; or null when the weights are
    /// not exact as quads on <paramref name="path"/>. <paramref name="positions"/> are the output positions
    /// the product computes, in its order; <paramref name="gather"/> is the group's physical index table
    /// [output positions, FanIn]; <paramref name="weights"/> its weights [channels, FanIn].
    /// </summary>
    public static (InputPlane Plane, Im2Col Copy, PackedWeights Weights)? Pack(ConvGeometry geometry, Shape output, int[] positions, int[] gather, int[] weights, ReadOnlySpan<int> bias, FastPath path)
    {
        int kh = geometry.KernelHeight, kw = geometry.KernelWidth, depth = geometry.InChannelsPerGroup, stride = geometry.Stride;
        int fanIn = geometry.FanIn, span = kw * depth, quads = (span + 3) / 4, length = kh * quads * 4, channels = bias.Length;
        // Weight k (channel ci, tap ky, kx) lies in kernel row ky at byte kx * depth + ci, as the channels-last
        // plane holds it; the reduction takes the kernel rows one after another, each padded with zeros to quads.
        (int Row, int Byte) Place(int k) => (k / kw % kh, k % kw * depth + k / (kh * kw));
        var spread = new int[channels * length];
        for (int k = 0; k < fanIn; k++)
        {
            (int row, int at) = Place(k);
            for (int co = 0; co < channels; co++) spread[co * length + row * quads * 4 + at] = weights[co * fanIn + k];
        }

        int[] order = [.. Enumerable.Range(0, length)];
        if (PackedWeights.Choose(spread, order, channels, path) != UnitKind.Quad) return null;

        // The plane holds the input's bytes that some tap reads, channels-last row by row: its cells are the
        // gather table's entries, placed by position and weight. Cells no tap reads, and the tail, read as padding.
        int width = (output.Width - 1) * stride + kw, height = (output.Height - 1) * stride + kh, rowBytes = width * depth;
        var plane = new int[height * rowBytes + sizeof(int)];
        Array.Fill(plane, -1);
        var rows = new int[positions.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            int p = positions[i];
            rows[i] = (p / output.Width * rowBytes + p % output.Width * depth) * stride;
            for (int k = 0; k < fanIn; k++)
            {
                (int row, int at) = Place(k);
                plane[rows[i] + row * rowBytes + at] = gather[p * fanIn + k];
            }
        }

        int[] taps = [.. Enumerable.Range(0, kh * quads).Select(u => u / quads * rowBytes + u % quads * 4)];
        var packed = PackedWeights.Pack(spread, bias, order, UnitKind.Quad, ComputeStep.Lanes(path));
        return (new InputPlane(rows, taps, (plane.Length + 3) / 4), new Im2Col(plane, plane.Length), packed);
    }
}
