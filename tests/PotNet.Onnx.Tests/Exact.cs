using PotNet.Model;

namespace PotNet.Onnx.Tests;

/// <summary>
/// When float32 holds every intermediate value of the exported float model exactly: each layer's
/// accumulator range, widened by its rounding offset 2^(r-1), below 2^24 in magnitude.
/// </summary>
internal static class Exact
{
    public static bool Holds(QuantizedModel model) => model.Plan.All(step => step.Layer is not ComputeLayer layer || Fits(step, layer));

    /// <summary>
    /// When ONNX Runtime's int8 kernels compute the QDQ model's integers exactly on any x86 CPU: every
    /// weight's magnitude at most 64. Without VNNI instructions (AVX2, and AVX-512 without VNNI), MLAS
    /// multiplies u8 activations by s8 weights with vpmaddubsw, which adds two products in int16 with
    /// saturation; 2 x 255 x 64 = 32,640 fits, 2 x 255 x 65 does not. Seen: random network 8 differs
    /// on an AVX2-only EPYC and not on one with AVX-512 VNNI.
    /// </summary>
    public static bool FitsInt16Pairs(QuantizedModel model) => model.Layers.OfType<ComputeLayer>()
        .All(layer => layer.Weights.Levels().All(level => Int128.Abs(level) <= 64));

    private static bool Fits(LayerPlan step, ComputeLayer layer)
    {
        // With a residual source, the range it widens to (the source is added before the rounding).
        AccumulatorBound accumulator = step.Accumulator;
        double bound = Math.Max(Math.Abs((double)accumulator.Min), Math.Abs((double)accumulator.Max));
        int shift = step.OutputExponent is null ? 0 : Enumerable.Range(0, layer.Geometry.OutChannels).Max(step.RequantizeShift);
        return bound + (shift > 0 ? Math.ScaleB(1, shift - 1) : 0) < 1 << 24;
    }
}
