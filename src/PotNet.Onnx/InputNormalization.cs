namespace PotNet.Onnx;

/// <summary>
/// What an imported model expects as input, per channel: <c>(pixel * Scale - Mean[c]) / Std[c]</c>.
/// PotNet feeds <c>pixel / 256</c>, so the importer folds the difference into the first weighted
/// layer. The default, Scale = 1/256, Mean = 0, Std = 1, is PotNet's own convention (and its export's);
/// torchvision's ToTensor is Scale = 1/255.
/// </summary>
/// <param name="Scale">Multiplies the pixel byte.</param>
/// <param name="Mean">Subtracted per channel (one value for all channels, or one per channel).</param>
/// <param name="Std">Divides per channel (one value for all channels, or one per channel).</param>
public sealed record InputNormalization(double Scale, IReadOnlyList<double> Mean, IReadOnlyList<double> Std)
{
    /// <summary>PotNet's convention: the model reads <c>pixel / 256</c>.</summary>
    public static InputNormalization PotNet { get; } = new(1.0 / 256, [0.0], [1.0]);

    /// <summary>The model's input as <c>A[c] * (pixel / 256) + B[c]</c>, for <paramref name="channels"/> channels.</summary>
    internal (double[] A, double[] B) Affine(int channels)
    {
        if (!double.IsFinite(Scale) || Scale <= 0) throw new PotNetException($"--input-scale: {Scale} must be a positive number");
        double[] mean = PerChannel(Mean, channels, "--input-mean"), std = PerChannel(Std, channels, "--input-std");
        if (std.Any(s => !(s > 0) || !double.IsFinite(s))) throw new PotNetException("--input-std: every value must be a positive number");
        if (mean.Any(m => !double.IsFinite(m))) throw new PotNetException("--input-mean: every value must be a finite number");
        return (std.Select(s => 256 * Scale / s).ToArray(), mean.Select((m, c) => -m / std[c]).ToArray());
    }

    private static double[] PerChannel(IReadOnlyList<double> values, int channels, string option) => values.Count switch
    {
        1 => Enumerable.Repeat(values[0], channels).ToArray(),
        _ when values.Count == channels => values.ToArray(),
        _ => throw new PotNetException($"{option}: {values.Count} values for a model with {channels} input channels (give 1 or {channels})"),
    };
}
