namespace PotNet.Onnx;

/// <summary>
/// A tensor whose value the importer knows: an initializer, a Constant node's value, or a value
/// computed from them and from the activations' static shape. Values are doubles (exact for float32
/// and for the integers of shapes); NaN stands for the batch size, which is not known.
/// </summary>
internal sealed record ConstantTensor(long[] Dims, double[] Data)
{
    public int Rank => Dims.Length;

    public static ConstantTensor Scalar(double value) => new([], [value]);

    public static ConstantTensor Vector(params double[] values) => new([values.Length], values);

    /// <summary>The values as integers (shapes, axes, indices); NaN (the batch) is refused.</summary>
    public long[] Integers(Func<string, PotNetException> fail, string what) => Data.Select(v =>
        double.IsNaN(v) ? throw fail($"{what} depends on the batch size") : v is >= long.MinValue and <= long.MaxValue ? (long)v : throw fail($"{what}: {v} is out of range")).ToArray();

    public override string ToString() => $"[{string.Join(", ", Dims)}]";
}
