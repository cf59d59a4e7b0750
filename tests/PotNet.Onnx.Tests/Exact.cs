using PotNet.Model;

namespace PotNet.Onnx.Tests;

/// <summary>
/// When float32 holds every intermediate value of the exported float model exactly: each layer's
/// accumulator range, widened by its rounding offset 2^(r-1), below 2^24 in magnitude.
/// </summary>
internal static class Exact
{
    public static bool Holds(QuantizedModel model) => model.Plan.All(step => step.Layer is not ComputeLayer layer || Fits(step, layer));

    private static bool Fits(LayerPlan step, ComputeLayer layer)
    {
        double bound = Math.Max(Math.Abs((double)layer.Accumulator.Min), Math.Abs((double)layer.Accumulator.Max));
        int shift = step.OutputExponent is null ? 0 : Enumerable.Range(0, layer.Geometry.OutChannels).Max(step.RequantizeShift);
        return bound + (shift > 0 ? Math.ScaleB(1, shift - 1) : 0) < 1 << 24;
    }
}
