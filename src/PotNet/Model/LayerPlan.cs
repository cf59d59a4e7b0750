namespace PotNet.Model;

/// <summary>
/// One layer in its model's context: the shapes and activation exponents around it, worked out
/// once when the model is built so that engines, reports and generators read them instead of
/// re-deriving them.
/// </summary>
/// <param name="Layer">The layer.</param>
/// <param name="Input">Shape of the activations it reads (each input of an add has this shape).</param>
/// <param name="Output">Shape of the activations it writes.</param>
/// <param name="InputExponent">Exponent <c>f_in</c> of its (first) input activations.</param>
/// <param name="OutputExponent">Exponent of its output activations; null for the logits.</param>
/// <param name="Sources">The indices of the layers it reads in the plan, -1 for the model's input.</param>
/// <param name="InputExponents">The exponent of each input (one, or two for an add or a weighted layer with a residual source, whose exponent is last).</param>
public sealed record LayerPlan(Layer Layer, Shape Input, Shape Output, int InputExponent, int? OutputExponent, IReadOnlyList<int> Sources, IReadOnlyList<int> InputExponents)
{
    /// <summary>
    /// The requantisation shift of output channel <paramref name="channel"/>: <c>r = f_in + g - f_out</c>
    /// for a hidden compute layer; <c>r = F - f_out</c> for an add, with <c>F</c> its <see cref="AlignedExponent"/>.
    /// </summary>
    public int RequantizeShift(int channel) => Layer switch
    {
        ResidualAdd => AlignedExponent - OutputExponent!.Value,
        ComputeLayer compute => InputExponent + compute.Weights.ScaleExponent(channel) - compute.OutputExponent!.Value,
        _ => throw new InvalidOperationException($"layer '{Layer.Name}' ({Layer.TypeName}) does not requantise"),
    };

    /// <summary>
    /// A weighted layer's left shift of its residual source to the accumulator's scale at output channel
    /// <paramref name="channel"/>: <c>f_in + g - e_x</c> (the accumulator counts units of <c>2^-(f_in + g)</c>,
    /// the source units of <c>2^-e_x</c>); never negative in a valid model.
    /// </summary>
    public int ResidualShift(int channel) => Layer is ComputeLayer { Residual: not null } compute
        ? InputExponent + compute.Weights.ScaleExponent(channel) - InputExponents[^1]
        : throw new InvalidOperationException($"layer '{Layer.Name}' ({Layer.TypeName}) has no residual source");

    /// <summary>The accumulator's range: the layer's own, widened by its residual source when it has one.</summary>
    public AccumulatorBound Accumulator => Layer is ComputeLayer compute
        ? compute.Residual is null ? compute.Accumulator : compute.AccumulatorWithResidual(ResidualShift)
        : throw new InvalidOperationException($"layer '{Layer.Name}' ({Layer.TypeName}) has no accumulator");

    /// <summary>An add's common exponent <c>F = max(fa, fb)</c>, at which both inputs are integers.</summary>
    public int AlignedExponent => InputExponents.Max();

    /// <summary>An add's left shift of input <paramref name="operand"/> to the common exponent: <c>F - f</c>.</summary>
    public int AlignShift(int operand) => AlignedExponent - InputExponents[operand];
}
