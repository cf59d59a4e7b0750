using System.Buffers.Binary;
using Google.Protobuf;
using PotNet.Onnx.Proto;

namespace PotNet.Onnx;

/// <summary>
/// ONNX tensors (<see cref="TensorProto"/>) to and from arrays: little-endian <c>raw_data</c> when
/// writing; <c>raw_data</c> or the typed fields when reading, with every size checked before anything
/// is allocated, since the file may be hostile.
/// </summary>
internal static class OnnxTensors
{
    /// <summary>The most elements PotNet reads from one tensor (ConvGeometry's limit on weights).</summary>
    public const long MaxElements = 1 << 28;

    public static TensorProto Float(string name, ReadOnlySpan<float> values, params long[] dims)
    {
        var bytes = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), values[i]);
        return Tensor(name, TensorProto.Types.DataType.Float, bytes, dims);
    }

    public static TensorProto Int64(string name, ReadOnlySpan<long> values, params long[] dims)
    {
        var bytes = new byte[values.Length * sizeof(long)];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(i * sizeof(long)), values[i]);
        return Tensor(name, TensorProto.Types.DataType.Int64, bytes, dims);
    }

    public static TensorProto Int32(string name, ReadOnlySpan<int> values, params long[] dims)
    {
        var bytes = new byte[values.Length * sizeof(int)];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(i * sizeof(int)), values[i]);
        return Tensor(name, TensorProto.Types.DataType.Int32, bytes, dims);
    }

    public static TensorProto Int8(string name, ReadOnlySpan<sbyte> values, params long[] dims) =>
        Tensor(name, TensorProto.Types.DataType.Int8, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values).ToArray(), dims);

    public static TensorProto UInt8(string name, ReadOnlySpan<byte> values, params long[] dims) =>
        Tensor(name, TensorProto.Types.DataType.Uint8, values.ToArray(), dims);

    /// <summary>
    /// The tensor's values as doubles (float, double, the integer types and bool), row-major;
    /// <paramref name="fail"/> builds the error naming the tensor.
    /// </summary>
    public static double[] Values(TensorProto tensor, Func<string, PotNetException> fail)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0)
        {
            throw fail("its data is stored in an external file, which PotNet does not read: save the model with the weights inside (onnx.save_model(..., save_as_external_data=False))");
        }

        if (tensor.Segment is not null) throw fail("segmented tensors are not supported");
        long count = ElementCount(tensor.Dims, fail);
        var type = (TensorProto.Types.DataType)tensor.DataType;
        int width = ElementSize(type) ?? throw fail($"element type {type} is not supported (float, double and integer tensors are)");
        if (!tensor.RawData.IsEmpty)
        {
            ReadOnlySpan<byte> raw = tensor.RawData.Span;
            if (raw.Length != count * width) throw fail($"raw_data holds {raw.Length} bytes, the shape [{string.Join(", ", tensor.Dims)}] needs {count * width}");
            var values = new double[count];
            for (int i = 0; i < values.Length; i++) values[i] = Read(type, raw.Slice(i * width, width));
            return values;
        }

        double[] typed = type switch
        {
            TensorProto.Types.DataType.Float => tensor.FloatData.Select(v => (double)v).ToArray(),
            TensorProto.Types.DataType.Double => tensor.DoubleData.ToArray(),
            TensorProto.Types.DataType.Int64 => tensor.Int64Data.Select(v => (double)v).ToArray(),
            TensorProto.Types.DataType.Uint32 or TensorProto.Types.DataType.Uint64 => tensor.Uint64Data.Select(v => (double)v).ToArray(),
            _ => tensor.Int32Data.Select(v => (double)v).ToArray(),
        };
        if (typed.Length != count) throw fail($"holds {typed.Length} values, the shape [{string.Join(", ", tensor.Dims)}] needs {count}");
        return typed;
    }

    /// <summary>The element count of <paramref name="dims"/>, refusing negative dimensions and tensors over <see cref="MaxElements"/>.</summary>
    public static long ElementCount(IEnumerable<long> dims, Func<string, PotNetException> fail)
    {
        long count = 1;
        foreach (long d in dims)
        {
            if (d < 0) throw fail($"dimension {d} is negative");
            count *= d;
            if (count > MaxElements) throw fail($"more than {MaxElements} elements");
        }

        return count;
    }

    private static TensorProto Tensor(string name, TensorProto.Types.DataType type, byte[] raw, long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(raw) };
        tensor.Dims.AddRange(dims);
        return tensor;
    }

    private static int? ElementSize(TensorProto.Types.DataType type) => type switch
    {
        TensorProto.Types.DataType.Float or TensorProto.Types.DataType.Int32 or TensorProto.Types.DataType.Uint32 => 4,
        TensorProto.Types.DataType.Double or TensorProto.Types.DataType.Int64 or TensorProto.Types.DataType.Uint64 => 8,
        TensorProto.Types.DataType.Int16 or TensorProto.Types.DataType.Uint16 => 2,
        TensorProto.Types.DataType.Int8 or TensorProto.Types.DataType.Uint8 or TensorProto.Types.DataType.Bool => 1,
        _ => null,
    };

    private static double Read(TensorProto.Types.DataType type, ReadOnlySpan<byte> b) => type switch
    {
        TensorProto.Types.DataType.Float => BinaryPrimitives.ReadSingleLittleEndian(b),
        TensorProto.Types.DataType.Double => BinaryPrimitives.ReadDoubleLittleEndian(b),
        TensorProto.Types.DataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(b),
        TensorProto.Types.DataType.Uint32 => BinaryPrimitives.ReadUInt32LittleEndian(b),
        TensorProto.Types.DataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(b),
        TensorProto.Types.DataType.Uint64 => BinaryPrimitives.ReadUInt64LittleEndian(b),
        TensorProto.Types.DataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(b),
        TensorProto.Types.DataType.Uint16 => BinaryPrimitives.ReadUInt16LittleEndian(b),
        TensorProto.Types.DataType.Int8 => (sbyte)b[0],
        _ => b[0],
    };
}
