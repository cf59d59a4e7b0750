using System.Buffers.Binary;
using System.Globalization;

namespace PotNet.Data;

/// <summary>
/// An IDX file, the format MNIST is published in: a header (two zero bytes, a type byte, the
/// number of dimensions, each dimension as a big-endian 32-bit integer) followed by the data.
/// Only unsigned-byte data (type 0x08) is supported. The file may be gzip-compressed.
/// </summary>
public sealed class IdxFile
{
    private const byte UnsignedByte = 0x08;

    // Deflate expands a byte by at most about 1032 times (a 258-byte match in a ~2-bit code),
    // so the compressed size bounds the data a gzip file can hold before anything is allocated.
    private const long MaxDeflateRatio = 1032;

    private IdxFile(int[] dimensions, byte[] data)
    {
        Dimensions = dimensions;
        Data = data;
    }

    /// <summary>The size of each dimension, outermost first (for images: count, rows, columns).</summary>
    public IReadOnlyList<int> Dimensions { get; }

    /// <summary>The data in row-major order; its length is the product of <see cref="Dimensions"/>.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Reads and validates an IDX file of unsigned bytes, plain or gzip-compressed.</summary>
    /// <param name="path">The file.</param>
    /// <param name="expectedDimensions">How many dimensions the file must have: 3 for images, 1 for labels.</param>
    /// <exception cref="PotNetException">
    /// The file is missing, unreadable or malformed; the message names the file and the field
    /// (magic, type, dimensions, length, gzip).
    /// </exception>
    public static IdxFile Read(string path, int expectedDimensions)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(expectedDimensions, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(expectedDimensions, byte.MaxValue);
        try
        {
            using Stream content = FileContent.Open(path, out bool compressed, out long fileLength);
            return Read(path, content, compressed, fileLength, expectedDimensions);
        }
        catch (FileNotFoundException)
        {
            throw PotNetException.InFile(path, "file", "not found");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw PotNetException.InFile(path, "file", $"cannot be read: {e.Message}");
        }
        catch (InvalidDataException e)
        {
            throw PotNetException.InFile(path, "gzip", $"corrupt compressed data: {e.Message}");
        }
    }

    private static IdxFile Read(string path, Stream content, bool compressed, long fileLength, int expectedDimensions)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = content.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
        if (got < magic.Length)
        {
            throw PotNetException.InFile(path, "magic", $"truncated: an IDX file starts with 4 bytes, found {got}");
        }
        if (magic[0] != 0 || magic[1] != 0)
        {
            throw PotNetException.InFile(path, "magic",
                $"expected the bytes 00 00 of an IDX file, found {magic[0]:x2} {magic[1]:x2}");
        }
        if (magic[2] != UnsignedByte)
        {
            throw PotNetException.InFile(path, "type",
                $"type 0x{magic[2]:x2} ({TypeName(magic[2])}) is not supported; only 0x08 (unsigned byte) is");
        }
        if (magic[3] != expectedDimensions)
        {
            throw PotNetException.InFile(path, "dimensions", $"expected {expectedDimensions} dimensions, found {magic[3]}");
        }

        int[] dimensions = ReadDimensions(path, content, expectedDimensions, out long dataLength);
        long headerLength = magic.Length + (4L * expectedDimensions);
        if (!compressed)
        {
            CheckLength(path, dataLength, fileLength - headerLength);
        }
        else if (dataLength > fileLength * MaxDeflateRatio)
        {
            CheckLength(path, dataLength, CountRemaining(content));
        }

        var data = new byte[dataLength];
        int read = content.ReadAtLeast(data, data.Length, throwOnEndOfStream: false);
        CheckLength(path, dataLength, read + CountRemaining(content));
        return new IdxFile(dimensions, data);
    }

    private static int[] ReadDimensions(string path, Stream content, int count, out long dataLength)
    {
        var header = new byte[4 * count];
        if (content.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
        {
            throw PotNetException.InFile(path, "dimensions", $"truncated: the header ends before its {count} dimension sizes");
        }
        var dimensions = new int[count];
        dataLength = 1;
        for (int i = 0; i < count; i++)
        {
            uint size = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4 * i));
            if (size == 0)
            {
                throw PotNetException.InFile(path, "dimensions", $"dimension {i} is 0; every dimension must be at least 1");
            }
            // Checking each factor first keeps the running product below 2^62, so it cannot overflow.
            if (size > Array.MaxLength || (dataLength *= size) > Array.MaxLength)
            {
                throw PotNetException.InFile(path, "dimensions",
                    $"the sizes {Describe(header, count)} describe more than the {Array.MaxLength} bytes supported");
            }
            dimensions[i] = (int)size;
        }
        return dimensions;
    }

    private static void CheckLength(string path, long expected, long found)
    {
        if (found < expected)
        {
            throw PotNetException.InFile(path, "length", $"truncated: expected {expected} bytes of data, found {found}");
        }
        if (found > expected)
        {
            throw PotNetException.InFile(path, "length",
                $"trailing bytes: expected {expected} bytes of data, found {found} ({found - expected} too many)");
        }
    }

    // Counting through a small buffer keeps memory bounded whatever a corrupt stream holds.
    private static long CountRemaining(Stream content)
    {
        var scratch = new byte[1 << 16];
        long total = 0;
        int n;
        while ((n = content.Read(scratch)) > 0)
        {
            total += n;
        }
        return total;
    }

    private static string Describe(byte[] header, int count) =>
        string.Join(" x ", Enumerable.Range(0, count).Select(i =>
            BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4 * i)).ToString(CultureInfo.InvariantCulture)));

    private static string TypeName(byte type) => type switch
    {
        0x09 => "signed byte",
        0x0B => "16-bit integer",
        0x0C => "32-bit integer",
        0x0D => "32-bit float",
        0x0E => "64-bit float",
        _ => "not an IDX type",
    };
}
