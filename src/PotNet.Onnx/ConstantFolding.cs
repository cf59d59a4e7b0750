using PotNet.Onnx.Proto;

namespace PotNet.Onnx;

/// <summary>
/// Evaluates the operators that exporters use to compute shapes (Gather, Unsqueeze, Squeeze, Concat,
/// Slice, Cast, and elementwise arithmetic) when all their inputs are constants, so that a Reshape
/// whose shape comes out of such a chain gets a known shape.
/// </summary>
internal static class ConstantFolding
{
    public static readonly IReadOnlySet<string> Operators = new HashSet<string>(StringComparer.Ordinal)
    {
        "Gather", "Unsqueeze", "Squeeze", "Concat", "Slice", "Cast", "Add", "Sub", "Mul", "Div", "Identity", "Dropout",
    };

    /// <summary>The value of <paramref name="node"/>, given its inputs (null for an absent optional input).</summary>
    public static ConstantTensor Evaluate(NodeProto node, IReadOnlyList<ConstantTensor?> inputs, NodeAttributes attributes, Func<string, PotNetException> fail)
    {
        ConstantTensor First() => inputs.Count > 0 && inputs[0] is { } t ? t : throw fail("its first input is missing");
        return node.OpType switch
        {
            "Identity" or "Dropout" => First(),
            "Cast" => Cast(First(), attributes.Int("to", 1)),
            "Gather" => Gather(First(), Input(inputs, 1, fail), attributes.Int("axis", 0), fail),
            "Unsqueeze" => Unsqueeze(First(), Axes(inputs, attributes, fail) ?? throw fail("axes are missing"), fail),
            "Squeeze" => Squeeze(First(), Axes(inputs, attributes, fail), fail),
            "Concat" => Concat(inputs, attributes.Int("axis", 0), fail),
            "Slice" => Slice(First(), inputs, attributes, fail),
            _ => Arithmetic(node.OpType, First(), Input(inputs, 1, fail), fail),
        };
    }

    private static ConstantTensor Input(IReadOnlyList<ConstantTensor?> inputs, int index, Func<string, PotNetException> fail) =>
        inputs.Count > index && inputs[index] is { } t ? t : throw fail($"input {index} is missing");

    /// <summary>Axes from the attribute (opset &lt; 13) or the second input (opset 13+).</summary>
    private static long[]? Axes(IReadOnlyList<ConstantTensor?> inputs, NodeAttributes attributes, Func<string, PotNetException> fail) =>
        attributes.Ints("axes") ?? (inputs.Count > 1 && inputs[1] is { } axes ? axes.Integers(fail, "axes") : null);

    private static ConstantTensor Cast(ConstantTensor x, long to)
    {
        bool integer = (TensorProto.Types.DataType)to is not (TensorProto.Types.DataType.Float or TensorProto.Types.DataType.Double or TensorProto.Types.DataType.Float16);
        return x with { Data = x.Data.Select(v => integer ? Math.Truncate(v) : v).ToArray() };
    }

    private static ConstantTensor Gather(ConstantTensor data, ConstantTensor indices, long axis, Func<string, PotNetException> fail)
    {
        if (data.Rank != 1 || axis != 0) throw fail($"gathers only from a vector (shape data), not from a tensor of shape {data}");
        long[] picked = indices.Integers(fail, "indices");
        var values = picked.Select(i => i >= -data.Data.Length && i < data.Data.Length ? data.Data[i < 0 ? i + data.Data.Length : i] : throw fail($"index {i} is outside [0, {data.Data.Length})")).ToArray();
        return new ConstantTensor(indices.Dims, values);
    }

    private static ConstantTensor Unsqueeze(ConstantTensor x, long[] axes, Func<string, PotNetException> fail)
    {
        int rank = x.Rank + axes.Length;
        var normalised = axes.Select(a => a < 0 ? a + rank : a).ToHashSet();
        if (normalised.Count != axes.Length || normalised.Any(a => a < 0 || a >= rank)) throw fail($"axes [{string.Join(", ", axes)}] do not fit rank {rank}");
        var dims = new List<long>();
        int next = 0;
        for (int i = 0; i < rank; i++) dims.Add(normalised.Contains(i) ? 1 : x.Dims[next++]);
        return x with { Dims = [.. dims] };
    }

    private static ConstantTensor Squeeze(ConstantTensor x, long[]? axes, Func<string, PotNetException> fail)
    {
        var normalised = axes?.Select(a => a < 0 ? a + x.Rank : a).ToHashSet();
        if (normalised is not null && normalised.Any(a => a < 0 || a >= x.Rank || x.Dims[a] != 1)) throw fail($"cannot squeeze axes [{string.Join(", ", axes!)}] of shape {x}");
        return x with { Dims = x.Dims.Where((d, i) => normalised is null ? d != 1 : !normalised.Contains(i)).ToArray() };
    }

    private static ConstantTensor Concat(IReadOnlyList<ConstantTensor?> inputs, long axis, Func<string, PotNetException> fail)
    {
        var parts = inputs.Select((t, i) => t ?? throw fail($"input {i} is missing")).ToArray();
        if (parts.Length == 0 || parts.Any(p => p.Rank != 1) || axis is not (0 or -1)) throw fail("concatenates only vectors (shape data)");
        double[] values = parts.SelectMany(p => p.Data).ToArray();
        return ConstantTensor.Vector(values);
    }

    private static ConstantTensor Slice(ConstantTensor x, IReadOnlyList<ConstantTensor?> inputs, NodeAttributes attributes, Func<string, PotNetException> fail)
    {
        if (x.Rank != 1) throw fail($"slices only vectors (shape data), not a tensor of shape {x}");
        long[] starts = attributes.Ints("starts") ?? Input(inputs, 1, fail).Integers(fail, "starts");
        long[] ends = attributes.Ints("ends") ?? Input(inputs, 2, fail).Integers(fail, "ends");
        long[]? axes = attributes.Ints("axes") ?? (inputs.Count > 3 && inputs[3] is { } a ? a.Integers(fail, "axes") : null);
        long step = inputs.Count > 4 && inputs[4] is { } s ? s.Integers(fail, "steps").Single() : 1;
        if (starts.Length != 1 || ends.Length != 1 || (axes is not null && (axes.Length != 1 || axes[0] is not (0 or -1))) || step != 1)
        {
            throw fail("slices only one axis of a vector with step 1");
        }

        long n = x.Data.Length;
        long Clamp(long v) => Math.Clamp(v < 0 ? v + n : v, 0, n);
        long start = Clamp(starts[0]), end = Clamp(ends[0]);
        return ConstantTensor.Vector(x.Data.Skip((int)start).Take((int)Math.Max(0, end - start)).ToArray());
    }

    private static ConstantTensor Arithmetic(string op, ConstantTensor a, ConstantTensor b, Func<string, PotNetException> fail)
    {
        bool aScalar = a.Data.Length == 1, bScalar = b.Data.Length == 1;
        if (!aScalar && !bScalar && !a.Dims.SequenceEqual(b.Dims)) throw fail($"operands of shapes {a} and {b}: only equal shapes or a scalar operand are supported on constants");
        ConstantTensor shape = aScalar && !bScalar ? b : a;
        var values = new double[shape.Data.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double x = a.Data[aScalar ? 0 : i], y = b.Data[bScalar ? 0 : i];
            values[i] = op switch { "Add" => x + y, "Sub" => x - y, "Mul" => x * y, _ => x / y };
        }

        return shape with { Data = values };
    }
}
