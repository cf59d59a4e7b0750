using System.Buffers.Binary;
using System.IO.Compression;

namespace PotNet.Tests.Data;

/// <summary>Builds IDX files in memory, so each test states exactly the bytes it reads.</summary>
internal static class IdxBytes
{
    public static byte[] Create(int[] dimensions, byte[] data, byte type = 0x08)
    {
        var bytes = new byte[4 + (4 * dimensions.Length) + data.Length];
        bytes[2] = type;
        bytes[3] = (byte)dimensions.Length;
        for (int i = 0; i < dimensions.Length; i++)
        {
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + (4 * i)), dimensions[i]);
        }
        data.CopyTo(bytes, 4 + (4 * dimensions.Length));
        return bytes;
    }

    public static byte[] Images(int count, int height, int width, int seed = 1)
    {
        var pixels = new byte[count * height * width];
        new Random(seed).NextBytes(pixels);
        return Create([count, height, width], pixels);
    }

    public static byte[] Labels(params byte[] labels) => Create([labels.Length], labels);

    public static byte[] Gzip(byte[] content)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }
        return output.ToArray();
    }
}
