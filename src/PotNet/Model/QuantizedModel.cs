namespace PotNet.Model;

/// <summary>
/// A quantised network: u8 input of a fixed shape with exponent <see cref="InputExponent"/>, layers in
/// topological order (a chain, or with residual adds: <see cref="LayerGraph"/>), and logits from the
/// last, weighted, layer. It is the one representation
/// that every engine, generator and report consumes; building one validates it whole.
/// </summary>
public sealed class QuantizedModel
{
    /// <summary>Builds and validates the model: names, wiring, shapes, exponents and the position of the logits layer.</summary>
    public QuantizedModel(Shape input, IReadOnlyList<Layer> layers, Provenance? provenance = null, int inputExponent = Exponents.Input)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (input.Channels < 1 || input.Height < 1 || input.Width < 1)
        {
            throw new PotNetException($"input.shape: {input} must be at least 1x1x1");
        }

        if (layers.Count == 0) throw new PotNetException("layers: a model needs at least one layer");
        Input = input;
        InputExponent = inputExponent;
        Layers = layers.ToArray();
        Provenance = provenance ?? new Provenance();
        Plan = BuildPlan();
    }

    /// <summary>Shape of one input image.</summary>
    public Shape Input { get; }

    /// <summary>Exponent of the input bytes: 8 for images (<c>pixel / 256</c>).</summary>
    public int InputExponent { get; }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>Each layer with its shapes and exponents.</summary>
    public IReadOnlyList<LayerPlan> Plan { get; }

    /// <summary>Where the model came from.</summary>
    public Provenance Provenance { get; }

    /// <summary>Number of logits, i.e. classes.</summary>
    public int ClassCount => Plan[^1].Output.Size;

    /// <summary>True when every layer reads the layer before it (no residual connections).</summary>
    public bool IsChain => LayerGraph.IsChain([.. Plan.Select(p => p.Sources.ToArray())]);

    /// <summary>The weighted layers in order.</summary>
    public IEnumerable<ComputeLayer> ComputeLayers => Layers.OfType<ComputeLayer>();

    /// <summary>Zero codes over all weights of the weighted layers (0 for a model without weights).</summary>
    public double WeightSparsity
    {
        get
        {
            double weights = ComputeLayers.Sum(l => (double)l.ParameterCount);
            return weights == 0 ? 0 : ComputeLayers.Sum(l => l.Weights.Sparsity * l.ParameterCount) / weights;
        }
    }

    /// <summary>A copy of this model with other provenance.</summary>
    public QuantizedModel WithProvenance(Provenance provenance) => new(Input, Layers, provenance, InputExponent);

    private LayerPlan[] BuildPlan()
    {
        int[][] sources = LayerGraph.Sources(Layers);
        var plan = new LayerPlan[Layers.Count];
        for (int i = 0; i < Layers.Count; i++)
        {
            Layer layer = Layers[i];
            bool last = i == Layers.Count - 1;
            Shape[] inputs = [.. sources[i].Select(s => s < 0 ? Input : plan[s].Output)];
            int[] exponents = [.. sources[i].Select(s => s < 0 ? InputExponent : plan[s].OutputExponent!.Value)];
            int? output = exponents[0];
            if (layer is ComputeLayer compute)
            {
                if (last && compute.OutputExponent is not null)
                {
                    throw new PotNetException($"layer '{layer.Name}': output_exponent: the last layer outputs int32 logits, so it has no output exponent (and no ReLU)");
                }

                if (last && compute.Weights.ScaleExponents.ToArray().Distinct().Count() > 1)
                {
                    throw new PotNetException($"layer '{layer.Name}': weights.scale_exponents: the logits layer needs one scale for all channels, or the argmax would compare logits of different scales");
                }

                if (!last && compute.OutputExponent is null)
                {
                    throw new PotNetException($"layer '{layer.Name}': output_exponent: a hidden layer needs one (its u8 outputs are requantised, with the ReLU)");
                }

                output = compute.OutputExponent;
                if (compute.Residual is string residual) CheckResidual(compute, residual, last, exponents);
            }
            else if (last)
            {
                throw new PotNetException($"layer '{layer.Name}': type: the last layer must be conv2d or dense (it outputs the logits), not {layer.TypeName}");
            }
            else if (layer is ResidualAdd add)
            {
                output = add.OutputExponent ?? throw new PotNetException($"layer '{layer.Name}': output_exponent: an add in a quantised model needs one (its sum is requantised to u8)");
                if (exponents.Max() - exponents.Min() > ResidualAdd.MaxAlignment)
                {
                    throw new PotNetException($"layer '{layer.Name}': inputs: exponents {exponents[0]} and {exponents[1]} differ by more than {ResidualAdd.MaxAlignment}, so the aligned sum would not fit");
                }
            }

            plan[i] = new LayerPlan(layer, inputs[0], layer.OutputShape(inputs), exponents[0], output, sources[i], exponents);
            if (layer.Residual is not null && !plan[i].Accumulator.FitsInt32)
            {
                AccumulatorBound bound = plan[i].Accumulator;
                throw new PotNetException($"layer '{layer.Name}': residual: with '{layer.Residual}' added the accumulator needs {bound.Bits} bits for the worst-case input, more than int32 holds (range [{bound.Min}, {bound.Max}])");
            }
        }

        return plan;
    }

    /// <summary>
    /// A residual source is added exactly: shifted left to the accumulator's scale, never right, so the
    /// accumulator's scale <c>2^-(f_in + g)</c> must be at least as fine as the source's <c>2^-e_x</c> in
    /// every channel. The logits layer takes none (its accumulators are the model's output).
    /// </summary>
    private static void CheckResidual(ComputeLayer layer, string residual, bool last, int[] exponents)
    {
        if (last) throw new PotNetException($"layer '{layer.Name}': residual: the logits layer takes no residual source ('{residual}'); add it in a hidden layer");
        int fIn = exponents[0], source = exponents[^1];
        for (int co = 0; co < layer.Geometry.OutChannels; co++)
        {
            int shift = fIn + layer.Weights.ScaleExponent(co) - source;
            if (shift < 0)
            {
                throw new PotNetException($"layer '{layer.Name}': residual: '{residual}' (exponent {source}) would need a right shift by {-shift} to the accumulator's scale 2^-{fIn + layer.Weights.ScaleExponent(co)} at channel {co}, which drops bits; PotNet adds a residual source only exactly, so the channel's scale exponent must be at least {source - fIn}");
            }
        }
    }
}
