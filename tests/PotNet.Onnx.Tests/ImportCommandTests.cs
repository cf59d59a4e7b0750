using PotNet.Cli;
using PotNet.Cli.Tests;
using CliRunner = PotNet.Cli.Tests.Cli;
using PotNet.Model;
using PotNet.Serialization;

namespace PotNet.Onnx.Tests;

/// <summary><c>potnet import</c> end to end, and its one-line errors.</summary>
[Collection(MnistGroup.Name)]
public sealed class ImportCommandTests(MnistFixture mnist) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("potnet-import-").FullName;

    [Fact]
    public void Imports_calibrates_quantises_and_reports_float_and_quantised_accuracy()
    {
        string onnx = Path.Combine(_dir, "centroid.onnx"), output = Path.Combine(_dir, "centroid.potnet");
        OnnxExport.Save(OnnxExport.ToFloat(CentroidNetwork.Build(mnist.Train)), onnx);
        var (code, stdout, stderr) = Run("import", onnx, "--weights", "pot4", "--per-channel", "--calib-data", "mnist", "--data-dir", mnist.Root,
            "--calib-images", "300", "--eval-images", "1000", "--out", output, "--json");
        Assert.True(code == 0, stderr);
        using var report = System.Text.Json.JsonDocument.Parse(stdout);
        double floatAccuracy = report.RootElement.GetProperty("float_accuracy").GetDouble();
        double quantizedAccuracy = report.RootElement.GetProperty("quantized_accuracy").GetDouble();
        Assert.InRange(floatAccuracy, 0.7, 1);
        Assert.InRange(quantizedAccuracy, floatAccuracy - 0.05, 1);

        QuantizedModel model = ModelFile.Load(output);
        Assert.Equal("onnx import of centroid.onnx", model.Provenance.Source);
        Assert.Equal(quantizedAccuracy, model.Provenance.Accuracy["reference/mnist-test"]);
        Assert.Equal(floatAccuracy, model.Provenance.Accuracy["float/mnist-test"]);
        Assert.All(model.ComputeLayers, l => Assert.Equal("pot4", l.Weights.Format.Name));
    }

    /// <summary>
    /// The lenet-style model of docs/results.md: exported to ONNX, imported and quantised to pot4 and
    /// uniform4. With POTNET_EXPORT_DIR set, the ONNX file is also written there for a by-hand run of
    /// <c>potnet import</c> on the full test set.
    /// </summary>
    [Fact]
    public void A_lenet_style_model_imports_and_keeps_its_accuracy_in_pot4_and_uniform4()
    {
        string onnx = Path.Combine(_dir, "lenet-centroid.onnx");
        OnnxExport.Save(OnnxExport.ToFloat(LenetCentroid.Build(mnist.Train, 5000)), onnx);
        if (Environment.GetEnvironmentVariable("POTNET_EXPORT_DIR") is { Length: > 0 } exportDir) File.Copy(onnx, Path.Combine(exportDir, "lenet-centroid.onnx"), overwrite: true);
        foreach (string format in new[] { "pot4", "uniform4" })
        {
            var (code, stdout, stderr) = Run("import", onnx, "--weights", format, "--per-channel", "--calib-data", "mnist", "--data-dir", mnist.Root,
                "--eval-images", "1000", "--out", Path.Combine(_dir, $"lenet-{format}.potnet"), "--json");
            Assert.True(code == 0, stderr);
            using var report = System.Text.Json.JsonDocument.Parse(stdout);
            double floatAccuracy = report.RootElement.GetProperty("float_accuracy").GetDouble();
            Assert.InRange(floatAccuracy, 0.75, 1);
            Assert.InRange(report.RootElement.GetProperty("quantized_accuracy").GetDouble(), floatAccuracy - 0.03, 1);
        }
    }

    [Fact]
    public void An_mlp_on_a_flat_input_imports_and_reads_the_images_as_784_features()
    {
        string onnx = Path.Combine(_dir, "mlp.onnx"), output = Path.Combine(_dir, "mlp.potnet");
        File.WriteAllBytes(onnx, new TorchStyleGraph(13, seed: 3, [784]).Gemm("fc1", 784, 32).Relu().Gemm("fc2", 32, 10).Finish(10));
        var (code, _, stderr) = Run("import", onnx, "--weights", "pot4", "--calib-data", "mnist", "--data-dir", mnist.Root, "--calib-images", "50", "--eval-images", "50", "--out", output, "--json");
        Assert.True(code == 0, stderr);
        Assert.Equal(new Shape(784, 1, 1), ModelFile.Load(output).Input);
    }

    [Fact]
    public void Bad_files_fail_with_one_line_and_write_nothing()
    {
        string malformed = Path.Combine(_dir, "bad.onnx"), unsupported = Path.Combine(_dir, "sigmoid.onnx"), output = Path.Combine(_dir, "out.potnet");
        File.WriteAllBytes(malformed, [0x08, 0xff, 0xff]);
        var graph = new TorchStyleGraph(13, seed: 1, 1, 28, 28).Conv("conv1", 1, 2, 3);
        File.WriteAllBytes(unsupported, graph.Op("Sigmoid", "/Sigmoid", [graph.Current]).Flatten().Gemm("fc", 2 * 26 * 26, 10).Finish(10));
        string[] Args(string file) => ["import", file, "--weights", "pot4", "--calib-data", "mnist", "--data-dir", mnist.Root, "--out", output];
        CliRunner.AssertFails(PotNetCommand.InputError, Run(Args(malformed)), "bad.onnx", "malformed protobuf");
        CliRunner.AssertFails(PotNetCommand.InputError, Run(Args(unsupported)), "(Sigmoid)", "the activation Sigmoid after layer 'conv1' (Conv) cannot be expressed");
        CliRunner.AssertFails(PotNetCommand.InputError, Run(Args(Path.Combine(_dir, "missing.onnx"))), "file not found");
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void A_bad_normalisation_option_fails_with_one_line()
    {
        string onnx = Path.Combine(_dir, "m.onnx");
        OnnxExport.Save(OnnxExport.ToFloat(LenetStyle.Random(1)), onnx);
        var result = Run("import", onnx, "--weights", "pot4", "--calib-data", "mnist", "--data-dir", mnist.Root, "--input-std", "0.3,0.2", "--out", Path.Combine(_dir, "x.potnet"));
        CliRunner.AssertFails(PotNetCommand.InputError, result, "--input-std: 2 values for a model with 1 input channels");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static (int Code, string Out, string Error) Run(params string[] args) => CliRunner.Run(args);
}
