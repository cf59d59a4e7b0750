namespace PotNet.Model;

/// <summary>
/// The residual connection: the element-wise sum of two activations of the same shape, then the ReLU.
/// In a quantised model both inputs are u8 with their own exponents <c>fa</c>, <c>fb</c>; the sum is
/// aligned exactly in integers at <c>F = max(fa, fb)</c>, <c>S = a * 2^(F-fa) + b * 2^(F-fb)</c>, and
/// requantised to <see cref="OutputExponent"/> by <c>r = F - f_out</c> as a weighted layer's
/// accumulator is (round half up, clamp to [0, 255]; the clamp at 0 is the ReLU, which a sum of u8
/// values never needs). In a float model the exponent is null: the quantiser chooses it.
/// </summary>
public sealed class ResidualAdd : Layer
{
    /// <summary>
    /// The largest difference between the two input exponents: the aligned sum is below
    /// <c>255 * 2^15 + 255 &lt; 2^23</c>, so it fits int32 and, with its rounding half, is exact in
    /// float32 (the float ONNX export).
    /// </summary>
    public const int MaxAlignment = 15;

    /// <summary>Creates the layer; <paramref name="outputExponent"/> is null in a float model.</summary>
    public ResidualAdd(string name, int? outputExponent = null) : base(name)
    {
        if (outputExponent is int f && Math.Abs(f) > Exponents.Limit)
        {
            throw Error("output_exponent", $"{f} is outside [-{Exponents.Limit}, {Exponents.Limit}]");
        }

        OutputExponent = outputExponent;
    }

    /// <summary>The output activations' exponent <c>f_out</c>; null in a float model.</summary>
    public int? OutputExponent { get; }

    /// <inheritdoc/>
    public override string TypeName => "add";

    /// <inheritdoc/>
    public override int InputCount => 2;

    /// <summary>The same layer, reading the same inputs, with output exponent <paramref name="outputExponent"/>.</summary>
    public ResidualAdd WithOutputExponent(int outputExponent) => new(Name, outputExponent) { Inputs = Inputs };

    /// <inheritdoc/>
    public override Shape OutputShape(Shape input) => input;

    /// <inheritdoc/>
    public override Shape OutputShape(IReadOnlyList<Shape> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs[0] != inputs[1]) throw Error("inputs", $"it adds {inputs[0]} and {inputs[1]}: an add needs two inputs of the same shape");
        return inputs[0];
    }
}
