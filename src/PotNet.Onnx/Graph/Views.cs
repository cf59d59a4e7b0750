using System.Globalization;

namespace PotNet.Onnx.Graph;

/// <summary>
/// The output dimensions (without the batch) of the operators that only change the view of an
/// activation: Flatten, Reshape, Squeeze, Unsqueeze and Transposes that move axes of size 1 (other Transposes are permutations). The
/// batch must stay the first dimension.
/// </summary>
internal static class Views
{
    public static long[] Dims(OnnxOperator op, long[] dims, long? fixedBatch) => op.OpType switch
    {
        "Flatten" => Flatten(op, dims),
        "Reshape" => Reshape(op, dims, fixedBatch),
        "Squeeze" => Squeeze(op, dims),
        "Unsqueeze" => Unsqueeze(op, dims),
        _ => throw op.Fail("not a view"),
    };

    private static long Size(long[] dims) => dims.Aggregate(1L, (p, d) => p * d);

    private static long[] Flatten(OnnxOperator op, long[] dims)
    {
        long axis = op.Attributes.Int("axis", 1);
        if (axis < 0) axis += dims.Length + 1;
        if (axis < 1 || dims.Take((int)axis - 1).Any(d => d != 1)) throw op.Fail($"axis {op.Attributes.Int("axis", 1)} of {IrNode.Text(dims)} merges the batch with other dimensions; PotNet flattens all but the batch (axis 1)");
        return [Size(dims)];
    }

    /// <summary>Axes from the attribute (before opset 13) or the second input (from 13), relative to the rank with the batch.</summary>
    private static long[]? Axes(OnnxOperator op) => op.Attributes.Ints("axes") ?? op.Optional(1, "axes")?.Integers(op.Fail, "axes");

    private static long[] Squeeze(OnnxOperator op, long[] dims)
    {
        int rank = dims.Length + 1;
        long[]? axes = Axes(op)?.Select(a => a < 0 ? a + rank : a).ToArray();
        if (axes is null) return dims.Where(d => d != 1).ToArray();
        if (axes.Any(a => a == 0)) throw op.Fail("squeezing the batch dimension is not supported");
        if (axes.Any(a => a < 1 || a >= rank || dims[a - 1] != 1)) throw op.Fail($"cannot squeeze axes [{string.Join(", ", Axes(op)!)}] of {IrNode.Text(dims)}");
        return dims.Where((_, i) => !axes.Contains(i + 1)).ToArray();
    }

    private static long[] Unsqueeze(OnnxOperator op, long[] dims)
    {
        long[] axes = Axes(op) ?? throw op.Fail("axes are missing");
        int rank = dims.Length + 1 + axes.Length;
        var normalised = axes.Select(a => a < 0 ? a + rank : a).ToHashSet();
        if (normalised.Count != axes.Length || normalised.Any(a => a < 0 || a >= rank)) throw op.Fail($"axes [{string.Join(", ", axes)}] do not fit rank {rank}");
        if (normalised.Contains(0)) throw op.Fail("a new first dimension would displace the batch; PotNet keeps the batch first");
        var result = new List<long>();
        int next = 0;
        for (int i = 1; i < rank; i++) result.Add(normalised.Contains(i) ? 1 : dims[next++]);
        return [.. result];
    }

    /// <summary>A Transpose as a view (it moves only axes of size 1) or, when it reorders elements, as a <see cref="PermuteNode"/>.</summary>
    public static IrNode Transpose(OnnxOperator op, string input, long[] dims)
    {
        int rank = dims.Length + 1;
        long[] perm = op.Attributes.Ints("perm") ?? Enumerable.Range(0, rank).Reverse().Select(i => (long)i).ToArray();
        if (perm.Length != rank || perm.Order().Select((p, i) => p == i).Any(ok => !ok)) throw op.Fail($"perm [{string.Join(", ", perm)}] is not a permutation of {rank} axes");
        if (perm[0] != 0) throw op.Fail("it moves the batch dimension; PotNet keeps the batch first");
        int[] axes = perm.Skip(1).Select(p => (int)p - 1).ToArray();
        long[] result = axes.Select(a => dims[a]).ToArray();
        var moved = axes.Where(a => dims[a] != 1).ToArray();
        if (!moved.Zip(moved.Skip(1)).Any(pair => pair.First > pair.Second)) return new ViewNode(op.OpType, op.Name, input, op.Output, result);
        long[] inputStrides = Strides(dims);
        var source = new int[Size(dims)];
        for (int e = 0; e < source.Length; e++)
        {
            long rest = e, index = 0;
            for (int i = result.Length - 1; i >= 0; i--)
            {
                index += rest % result[i] * inputStrides[axes[i]];
                rest /= result[i];
            }

            source[e] = (int)index;
        }

        return new PermuteNode(op.Name, input, op.Output, result, source);
    }

    private static long[] Strides(long[] dims)
    {
        var strides = new long[dims.Length];
        long stride = 1;
        for (int i = dims.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= dims[i];
        }

        return strides;
    }

    /// <summary>A Reshape whose target keeps the batch first: the batch as NaN (from Shape), 0 (copy), -1 (inferred), 1 (traced) or the fixed batch.</summary>
    private static long[] Reshape(OnnxOperator op, long[] dims, long? fixedBatch)
    {
        ConstantTensor target = op.Required(1, "the shape");
        if (target.Rank != 1 || target.Data.Length == 0) throw op.Fail($"shape of shape {target}; expected a non-empty vector");
        if (op.Attributes.Int("allowzero", 0) != 0 && target.Data.Contains(0)) throw op.Fail("allowzero with a zero dimension is not supported");
        double[] t = target.Data;
        long size = Size(dims);
        string Shown() => $"[{string.Join(", ", t.Select(v => double.IsNaN(v) ? "N" : v.ToString(CultureInfo.InvariantCulture)))}]";
        var result = new long[t.Length - 1];
        int inferred = -1;
        for (int i = 1; i < t.Length; i++)
        {
            double v = t[i];
            if (v == 0 && i - 1 < dims.Length) result[i - 1] = dims[i - 1];
            else if (v == -1 && inferred < 0) inferred = i - 1;
            else if (v >= 1 && v <= 1 << 30) result[i - 1] = (long)v;
            else throw op.Fail($"reshaping {IrNode.Text(dims)} to {Shown()}: dimension {i} ({(double.IsNaN(v) ? "the batch" : v.ToString(CultureInfo.InvariantCulture))}) is not supported; the batch must stay first");
        }

        long known = result.Where((_, i) => i != inferred).Aggregate(1L, (p, d) => p * d);
        if (inferred >= 0) result[inferred] = known > 0 && size % known == 0 ? size / known : throw op.Fail($"reshaping {IrNode.Text(dims)} to {Shown()}: the known dimensions do not divide {size} values");
        double first = t[0];
        bool batchFirst = double.IsNaN(first) || first == 0 || (fixedBatch is long b && first == b) || (first == 1 && fixedBatch is null)
            || (first == -1 && inferred < 0 && Size(result) == size);
        if (!batchFirst || Size(result) != size) throw op.Fail($"reshaping {IrNode.Text(dims)} to {Shown()} moves values between samples; PotNet imports reshapes that keep the batch first");
        return result;
    }
}
