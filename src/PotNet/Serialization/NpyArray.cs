using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PotNet.Serialization;

/// <summary>
/// A tensor in NumPy's <c>.npy</c> format (versions 1 to 3, C order, little-endian), so that anyone
/// can unzip a .potnet file and read its tensors with <c>numpy.load</c>. Only the element types
/// PotNet stores are supported: <c>|u1</c> (codes) and <c>&lt;i4</c> (exponents, biases).
/// </summary>
public sealed partial class NpyArray
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    private NpyArray(string dtype, int[] shape, byte[] data)
    {
        DType = dtype;
        Shape = shape;
        Data = data;
    }

    /// <summary>The element type in NumPy's notation: <c>|u1</c> or <c>&lt;i4</c>.</summary>
    public string DType { get; }

    /// <summary>The dimensions, outermost first.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>The raw little-endian elements.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>A u8 tensor.</summary>
    public static NpyArray FromBytes(ReadOnlySpan<byte> values, params int[] shape) => new("|u1", CheckShape(shape, values.Length), values.ToArray());

    /// <summary>An int32 tensor.</summary>
    public static NpyArray FromInt32(ReadOnlySpan<int> values, params int[] shape)
    {
        var data = new byte[values.Length * 4];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(i * 4), values[i]);
        return new NpyArray("<i4", CheckShape(shape, values.Length), data);
    }

    /// <summary>The elements of a <c>|u1</c> tensor; <paramref name="what"/> names it in the error otherwise.</summary>
    public byte[] ToBytes(string what)
    {
        RequireDType("|u1", what);
        return Data.ToArray();
    }

    /// <summary>The elements of a <c>&lt;i4</c> tensor; <paramref name="what"/> names it in the error otherwise.</summary>
    public int[] ToInt32(string what)
    {
        RequireDType("<i4", what);
        var values = new int[Data.Length / 4];
        for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadInt32LittleEndian(Data.Span[(i * 4)..]);
        return values;
    }

    /// <summary>Writes the tensor in .npy version 1.0.</summary>
    public void Write(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        string shape = Shape.Count == 1 ? $"({Shape[0]},)" : $"({string.Join(", ", Shape)})";
        string dict = $"{{'descr': '{DType}', 'fortran_order': False, 'shape': {shape}, }}";
        // Pad with spaces so that the data starts on a 64-byte boundary, as NumPy does.
        int headerLength = dict.Length + 1;
        headerLength += (64 - (Magic.Length + 4 + headerLength) % 64) % 64;
        byte[] header = Encoding.ASCII.GetBytes(dict.PadRight(headerLength - 1) + "\n");
        stream.Write(Magic);
        stream.Write([1, 0]);
        Span<byte> length = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)header.Length);
        stream.Write(length);
        stream.Write(header);
        stream.Write(Data.Span);
    }

    /// <summary>
    /// Reads a tensor of at most <paramref name="maxBytes"/> data bytes; a malformed one gets a
    /// <see cref="PotNetException"/> that starts with <paramref name="what"/>.
    /// </summary>
    public static NpyArray Read(Stream stream, string what, long maxBytes)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var prefix = new byte[8];
        if (stream.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8 || !prefix.AsSpan(0, 6).SequenceEqual(Magic))
        {
            throw new PotNetException($"{what}: not a .npy tensor (bad magic)");
        }

        int headerLength;
        if (prefix[6] == 1)
        {
            var b = new byte[2];
            ReadExactly(stream, b, what, "header");
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(b);
        }
        else if (prefix[6] is 2 or 3)
        {
            var b = new byte[4];
            ReadExactly(stream, b, what, "header");
            headerLength = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(b), int.MaxValue);
        }
        else
        {
            throw new PotNetException($"{what}: .npy version {prefix[6]}.{prefix[7]} is not supported (1.0 to 3.0 are)");
        }

        if (headerLength > 1 << 16) throw new PotNetException($"{what}: .npy header of {headerLength} bytes is too long");
        var headerBytes = new byte[headerLength];
        ReadExactly(stream, headerBytes, what, "header");
        (string dtype, int[] shape) = ParseHeader(Encoding.UTF8.GetString(headerBytes), what);

        long count = shape.Aggregate(1L, (a, d) => a * d);
        long bytes = count * (dtype == "|u1" ? 1 : 4);
        if (bytes > maxBytes) throw new PotNetException($"{what}: shape ({string.Join(", ", shape)}) is larger than expected");
        var data = new byte[bytes];
        ReadExactly(stream, data, what, "data");
        if (stream.ReadByte() != -1) throw new PotNetException($"{what}: trailing bytes after the tensor's data");
        return new NpyArray(dtype, shape, data);
    }

    private static (string DType, int[] Shape) ParseHeader(string header, string what)
    {
        Match m = HeaderPattern().Match(header);
        if (!m.Success) throw new PotNetException($"{what}: .npy header is not understood: {header.Trim()}");
        if (m.Groups["fortran"].Value == "True") throw new PotNetException($"{what}: Fortran-order tensors are not supported");
        string dtype = m.Groups["descr"].Value switch
        {
            "|u1" or "<u1" or "u1" => "|u1",
            "<i4" => "<i4",
            string other => throw new PotNetException($"{what}: element type '{other}' is not supported (|u1 or <i4)"),
        };
        int[] shape = m.Groups["shape"].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(d => int.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out int v)
                ? v
                : throw new PotNetException($"{what}: shape dimension '{d}' is not a number"))
            .ToArray();
        return (dtype, shape);
    }

    private static void ReadExactly(Stream stream, byte[] buffer, string what, string part)
    {
        if (stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) < buffer.Length)
        {
            throw new PotNetException($"{what}: truncated .npy {part}");
        }
    }

    private void RequireDType(string expected, string what)
    {
        if (DType != expected) throw new PotNetException($"{what}: element type {DType}, expected {expected}");
    }

    private static int[] CheckShape(int[] shape, int count)
    {
        if (shape.Aggregate(1L, (a, d) => a * d) != count) throw new ArgumentException($"shape ({string.Join(", ", shape)}) does not hold {count} elements");
        return shape;
    }

    [GeneratedRegex(@"^\s*\{\s*'descr'\s*:\s*'(?<descr>[^']*)'\s*,\s*'fortran_order'\s*:\s*(?<fortran>True|False)\s*,\s*'shape'\s*:\s*\((?<shape>[\d\s,]*)\)\s*,?\s*\}\s*$")]
    private static partial Regex HeaderPattern();
}
