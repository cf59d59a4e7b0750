namespace PotNet.Model;

/// <summary>
/// One layer in its model's context: the shapes and activation exponents around it, worked out
/// once when the model is built so that engines, reports and generators read them instead of
/// re-deriving them.
/// </summary>
/// <param name="Layer">The layer.</param>
/// <param name="Input">Shape of the activations it reads.</param>
/// <param name="Output">Shape of the activations it writes.</param>
/// <param name="InputExponent">Exponent <c>f_in</c> of its input activations.</param>
/// <param name="OutputExponent">Exponent of its output activations; null for the logits.</param>
public sealed record LayerPlan(Layer Layer, Shape Input, Shape Output, int InputExponent, int? OutputExponent)
{
    /// <summary>
    /// The requantisation shift <c>r = f_in + g - f_out</c> of output channel <paramref name="channel"/>
    /// of a hidden compute layer.
    /// </summary>
    public int RequantizeShift(int channel)
    {
        var compute = (ComputeLayer)Layer;
        return InputExponent + compute.Weights.ScaleExponent(channel) - compute.OutputExponent!.Value;
    }
}
