using System.Buffers.Binary;
using PotNet.Data;

namespace PotNet.Cli.Tests;

/// <summary>The first images of MNIST as IDX files of their own, so that training and evaluation stay quick.</summary>
internal static class SmallMnist
{
    /// <summary>Writes the first <paramref name="train"/> training and <paramref name="test"/> test images into <paramref name="directory"/>.</summary>
    public static string Write(MnistFixture mnist, string directory, int train, int test)
    {
        Directory.CreateDirectory(directory);
        foreach (var (data, prefix) in new[] { (mnist.Train.Take(train), "train"), (mnist.Test.Take(test), "t10k") })
        {
            WriteIdx(Path.Combine(directory, $"{prefix}-images-idx3-ubyte"), 3, [data.Count, data.Height, data.Width], data.Images.Span);
            WriteIdx(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte"), 1, [data.Count], data.Labels.Span);
        }

        return directory;
    }

    private static void WriteIdx(string path, byte dimensions, int[] sizes, ReadOnlySpan<byte> values)
    {
        var header = new byte[4 + (4 * sizes.Length)];
        header[2] = 0x08;
        header[3] = dimensions;
        for (int i = 0; i < sizes.Length; i++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + (4 * i)), sizes[i]);
        using var file = File.Create(path);
        file.Write(header);
        file.Write(values);
    }
}
