using PotNet.Engines;
using PotNet.Formats;
using PotNet.Model;
using PotNet.Quantization;
using PotNet.Cli.Tests;
using PotNet.Tests;
using Xunit.Abstractions;

namespace PotNet.Onnx.Tests;

/// <summary>
/// The exported float model equals PotNet bit for bit while accumulators stay below 2^23; the QDQ
/// model agrees except at requantisation ties. ONNX Runtime is the judge.
/// </summary>
[Collection(MnistGroup.Name)]
public sealed class ExportTests(MnistFixture mnist, ITestOutputHelper output)
{
    [Fact]
    public void Float_export_equals_the_reference_engine_bit_for_bit_on_random_networks()
    {
        int exact = 0, checkedModels = 0, residual = 0, grouped = 0;
        for (int seed = 0; seed < 150; seed++)
        {
            QuantizedModel model = RandomNetworks.Create(seed);
            var images = Enumerable.Range(0, 8).Select(i => RandomNetworks.Image(model, seed * 100 + i)).ToArray();
            var comparison = Compare(model, OnnxExport.ToFloat(model), images);
            if (!Exact.Holds(model)) continue;
            checkedModels++;
            if (!model.IsChain) residual++;
            if (model.ComputeLayers.Any(l => l.Geometry.Groups > 1)) grouped++;
            Assert.True(comparison.DifferingImages == 0, $"seed {seed}: {comparison.DifferingImages} images differ");
            exact++;
        }

        output.WriteLine($"{exact} of {checkedModels} random networks within float32's exact range ({residual} with residual adds, {grouped} with grouped convolutions): all bit-exact");
        Assert.True(checkedModels > 100);
        Assert.True(residual > 30, $"{residual} networks with residual adds");
        Assert.True(grouped > 20, $"{grouped} networks with grouped convolutions");
    }

    [Fact]
    public void Float_export_equals_the_reference_engine_bit_for_bit_on_mnist()
    {
        foreach (var (format, perChannel) in new[] { (WeightFormat.Pot(4), true), (WeightFormat.Uniform(4), false), (WeightFormat.Apot(4), true) })
        {
            QuantizedModel model = Quantized(format, perChannel);
            Assert.True(Exact.Holds(model));
            var comparison = Compare(model, OnnxExport.ToFloat(model), Images(2000));
            Assert.Equal(0, comparison.DifferingImages);
        }
    }

    [Fact]
    public void Qdq_export_agrees_with_the_reference_engine_on_mnist()
    {
        foreach (var (format, perChannel) in new[] { (WeightFormat.Pot(4), true), (WeightFormat.Uniform(8), false), (WeightFormat.Pot(6), false) })
        {
            QuantizedModel model = Quantized(format, perChannel);
            byte[][] images = Images(2000);
            byte[] qdq = OnnxExport.ToQdq(model);
            var comparison = Compare(model, qdq, images);
            output.WriteLine($"QDQ {format.Name} {(perChannel ? "per-channel" : "per-layer")}: {comparison.DifferingImages}/2000 images with different logits, {comparison.ArgmaxDisagreements} different classes");
            Assert.True(comparison.ArgmaxDisagreements <= 20, $"{format.Name}: {comparison.ArgmaxDisagreements} classes differ");
            int tieDifferences = CompareTiesToEven(model, qdq, images);
            output.WriteLine($"    differing from PotNet with ties to even: {tieDifferences}/2000");
            // pot6 levels do not fit int8: those layers stay float between Q/DQ pairs, which ONNX Runtime's QDQ rewrites change.
            if (format.Bits <= 4 || format.Kind == FormatKind.Uniform) Assert.Equal(0, tieDifferences);
        }
    }

    [Fact]
    public void Qdq_export_runs_random_networks_close_to_the_reference_engine()
    {
        int differing = 0, total = 0, checkedModels = 0, residual = 0, grouped = 0;
        // 200 networks: about a quarter stay in float32's exact range, have weights ONNX Runtime's AVX2 kernels hold and no padding values.
        for (int seed = 0; seed < 200; seed++)
        {
            QuantizedModel model = RandomNetworks.Create(seed);
            var images = Enumerable.Range(0, 4).Select(i => RandomNetworks.Image(model, seed * 100 + i)).ToArray();
            byte[] qdq = OnnxExport.ToQdq(model);
            differing += Compare(model, qdq, images).DifferingImages;
            total += images.Length;
            // A layer with padding values reads x - value in float between its Q/DQ pairs, which ONNX Runtime's QDQ rewrites change (as pot6's float layers).
            if (!Exact.Holds(model) || !Exact.FitsInt16Pairs(model) || model.ComputeLayers.Any(l => !l.PaddingValues.IsEmpty)) continue;
            checkedModels++;
            if (!model.IsChain) residual++;
            if (model.ComputeLayers.Any(l => l.Geometry.Groups > 1)) grouped++;
            Assert.True(CompareTiesToEven(model, qdq, images) == 0, $"seed {seed}: differs from PotNet with ties to even");
        }

        output.WriteLine($"of which {residual} with residual adds, {grouped} with grouped convolutions");
        Assert.True(residual >= 5, $"{residual} networks with residual adds");
        Assert.True(grouped >= 5, $"{grouped} networks with grouped convolutions");
        output.WriteLine($"QDQ random networks: {differing}/{total} images with logits different from PotNet's; all equal to ties-to-even rounding on {checkedModels} networks in float32's exact range with weights ONNX Runtime's int16 pair sums hold");
        Assert.True(checkedModels > 50);
    }

    [Fact]
    public void Exported_models_have_the_documented_interface()
    {
        QuantizedModel model = RandomNetworks.Create(3);
        foreach (byte[] bytes in new[] { OnnxExport.ToFloat(model), OnnxExport.ToQdq(model) })
        {
            using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(bytes);
            Assert.Equal(["input"], session.InputNames);
            Assert.Equal(["logits"], session.OutputNames);
            Assert.Equal([-1, model.Input.Channels, model.Input.Height, model.Input.Width], session.InputMetadata["input"].Dimensions);
            Assert.Equal([-1, model.ClassCount], session.OutputMetadata["logits"].Dimensions);
        }
    }

    [Fact]
    public void Save_writes_the_bytes_atomically()
    {
        string path = Path.Combine(Path.GetTempPath(), $"potnet-export-{Guid.NewGuid():N}.onnx");
        try
        {
            byte[] bytes = OnnxExport.ToFloat(RandomNetworks.Create(1));
            OnnxExport.Save(bytes, path);
            Assert.Equal(bytes, File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    private QuantizedModel Quantized(WeightFormat format, bool perChannel) =>
        Quantizer.Quantize(CentroidNetwork.Build(mnist.Train), new QuantizeOptions { Format = format, PerChannel = perChannel },
            Enumerable.Range(0, 500).Select(i => mnist.Train.Images.Slice(i * 784, 784)));

    private byte[][] Images(int count) => Enumerable.Range(0, count).Select(i => mnist.Test.Image(i).ToArray()).ToArray();

    /// <summary>Runs ONNX Runtime and the ReferenceEngine; logits compared in the accumulator's integer units.</summary>
    internal static (int DifferingImages, int ArgmaxDisagreements) Compare(QuantizedModel model, byte[] onnx, byte[][] images)
    {
        var engine = new ReferenceEngine(model);
        LayerPlan last = model.Plan[^1];
        int unit = last.InputExponent + ((ComputeLayer)last.Layer).Weights.ScaleExponent(0);
        using var ort = new OrtRunner(onnx);
        float[][] results = ort.Run(images.Select(OrtRunner.Pixels).ToArray(), model.Input.Channels, model.Input.Height, model.Input.Width);
        int differing = 0, disagreements = 0;
        for (int i = 0; i < images.Length; i++)
        {
            int[] expected = engine.Infer(images[i]);
            double[] actual = Array.ConvertAll(results[i], v => Math.ScaleB(v, unit));
            if (!expected.Select(v => (double)v).SequenceEqual(actual)) differing++;
            if (ReferenceEngine.ArgMax(expected) != ArgMax(actual)) disagreements++;
        }

        return (differing, disagreements);
    }

    /// <summary>Images whose ONNX Runtime logits differ from PotNet's semantics with ties rounded to even.</summary>
    private static int CompareTiesToEven(QuantizedModel model, byte[] onnx, byte[][] images)
    {
        LayerPlan last = model.Plan[^1];
        int unit = last.InputExponent + ((ComputeLayer)last.Layer).Weights.ScaleExponent(0);
        using var ort = new OrtRunner(onnx);
        float[][] results = ort.Run(images.Select(OrtRunner.Pixels).ToArray(), model.Input.Channels, model.Input.Height, model.Input.Width);
        return images.Where((image, i) => !TiesToEven.Infer(model, image).Select(v => (double)v).SequenceEqual(results[i].Select(v => Math.ScaleB(v, unit)))).Count();
    }

    private static int ArgMax(double[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best]) best = i;
        }

        return best;
    }
}
