using System.Text.Json;
using PotNet.Float;
using PotNet.Formats;
using PotNet.Model;
using PotNet.Quantization;
using PotNet.Serialization;

namespace PotNet.Cli.Tests;

/// <summary><c>potnet hw generate</c> and <c>potnet hw verify</c> end to end, on MNIST with a quantised centroid network.</summary>
public sealed class HwCommandTests(MnistFixture mnist) : IClassFixture<MnistFixture>, IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("potnet-cli-hw-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Generate_then_verify_is_bit_exact_on_100_mnist_images_in_icarus()
    {
        string model = Model("pot4");
        string design = Path.Combine(_dir, "bac");
        var generate = Cli.Run("hw", "generate", model, "--pe", "bac", "--p", "3", "--l", "4", "--zero-gating", "--dataflow", "stream", "--out", design);
        Assert.True(generate.Code == 0, generate.Error);
        Assert.Contains("stream dataflow, bac PEs, P = 3, L = 4, zero gating on", generate.Out, StringComparison.Ordinal);
        using (JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(design, "manifest.json"))))
        {
            Assert.Equal("stream", manifest.RootElement.GetProperty("dataflow").GetString());
        }

        foreach (string file in new[] { "manifest.json", "model.potnet", "run.sh", "rtl/potnet_top.v", "rtl/tb.v", "mem/taps.hex", "mem/weights2.hex", "mem/params0.hex" })
        {
            Assert.True(File.Exists(Path.Combine(design, file)), file);
        }

        var verify = Cli.Run("hw", "verify", design, "--data", "mnist", "--data-dir", mnist.Root, "--images", "100", "--sim", "icarus", "--json");
        Assert.True(verify.Code == 0, verify.Error + verify.Out);
        using JsonDocument report = JsonDocument.Parse(verify.Out);
        JsonElement root = report.RootElement;
        Assert.Equal(100, root.GetProperty("images").GetInt32());
        Assert.Equal(0, root.GetProperty("mismatches").GetInt32());
        Assert.True(root.GetProperty("counters_match").GetBoolean());
        Assert.Equal(root.GetProperty("predicted_cycles").GetInt64(), root.GetProperty("cycles_per_inference").GetInt64());
        Assert.Contains("simulate 100 images", verify.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_rowbuffer_dataflow_generates_reads_each_weight_and_input_once_and_verifies_bit_exact()
    {
        string design = Path.Combine(_dir, "rowbuffer");
        var generate = Cli.Run("hw", "generate", Model("pot4"), "--pe", "bac", "--p", "3", "--l", "4", "--zero-gating", "--dataflow", "rowbuffer", "--out", design);
        Assert.True(generate.Code == 0, generate.Error);
        Assert.Contains("rowbuffer dataflow, bac PEs, P = 3, L = 4, zero gating on", generate.Out, StringComparison.Ordinal);
        using (JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(design, "manifest.json"))))
        {
            JsonElement root = manifest.RootElement;
            Assert.Equal("rowbuffer", root.GetProperty("dataflow").GetString());
            Assert.Equal(1.0, root.GetProperty("reuse").GetProperty("weight_fetches").GetDouble());
            Assert.InRange(root.GetProperty("reuse").GetProperty("activation_fetches").GetDouble(), 0.5, 1.0);
            Assert.Equal(1, root.GetProperty("activations").GetProperty("copies").GetInt32());
            Assert.False(root.GetProperty("roms").TryGetProperty("taps", out _));
        }

        Assert.True(File.Exists(Path.Combine(design, "mem/weights2_3.hex")));
        Assert.False(File.Exists(Path.Combine(design, "mem/taps.hex")));
        var verify = Cli.Run("hw", "verify", design, "--data", "mnist", "--data-dir", mnist.Root, "--images", "20", "--sim", "icarus", "--json");
        Assert.True(verify.Code == 0, verify.Error + verify.Out);
        using JsonDocument report = JsonDocument.Parse(verify.Out);
        Assert.Equal(0, report.RootElement.GetProperty("mismatches").GetInt32());
        Assert.True(report.RootElement.GetProperty("counters_match").GetBoolean());
    }

    [Fact]
    public void Verify_prints_the_counters_as_text_and_takes_gaps_and_backpressure()
    {
        string design = Path.Combine(_dir, "mac");
        Assert.Equal(0, Cli.Run("hw", "generate", Model("uniform4"), "--pe", "mac", "--mac", "lut", "--p", "2", "--l", "8", "--out", design).Code);
        var verify = Cli.Run("hw", "verify", design, "--data", "mnist", "--data-dir", mnist.Root, "--images", "3", "--sim", "icarus", "--gaps", "30", "--stall", "30", "--seed", "4");
        Assert.True(verify.Code == 0, verify.Error + verify.Out);
        Assert.Contains("images in icarus: 0 mismatches (bit-exact with the reference engine)", verify.Out, StringComparison.Ordinal);
        Assert.Contains("the testbench held the stream for", verify.Out, StringComparison.Ordinal);
        Assert.Contains("pe_ops", verify.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("DIFFERENT", verify.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pe_that_does_not_compute_the_models_format_is_refused()
    {
        var result = Cli.Run("hw", "generate", Model("uniform4"), "--pe", "bac", "--out", Path.Combine(_dir, "x"));
        Cli.AssertFails(PotNetCommand.InputError, result, "layer 'conv'", "uniform4 weights do not fit bac PEs", "--pe mac");
        Assert.False(Directory.Exists(Path.Combine(_dir, "x")));
    }

    [Fact]
    public void Mac_multipliers_are_refused_for_other_pes()
    {
        var result = Cli.Run("hw", "generate", Model("pot4"), "--pe", "bac", "--mac", "lut", "--out", Path.Combine(_dir, "x"));
        Cli.AssertFails(PotNetCommand.InputError, result, "--mac", "--pe mac only");
    }

    [Fact]
    public void A_directory_that_is_not_a_design_is_neither_replaced_nor_verified()
    {
        string other = Path.Combine(_dir, "other");
        Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(other, "notes.txt"), "keep me");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("hw", "generate", Model("pot4"), "--pe", "bac", "--out", other), "is not a potnet design");
        Assert.True(File.Exists(Path.Combine(other, "notes.txt")));
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("hw", "verify", other, "--data", "mnist", "--data-dir", mnist.Root), "not a generated design");
    }

    [Fact]
    public void A_design_that_fails_to_build_gets_a_clear_message()
    {
        string design = Path.Combine(_dir, "broken");
        Assert.Equal(0, Cli.Run("hw", "generate", Model("pot4"), "--pe", "bac", "--out", design).Code);
        File.AppendAllText(Path.Combine(design, "rtl", "potnet_core_rowbuffer.v"), "this is not verilog\n");
        var result = Cli.Run("hw", "verify", design, "--data", "mnist", "--data-dir", mnist.Root, "--images", "2", "--sim", "icarus");
        Assert.Equal(PotNetCommand.InputError, result.Code);
        // Progress lines come first; the error is the last line, and the only one.
        string[] lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines, l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.StartsWith($"error: the design in {design} failed to build with icarus (exit code ", lines[^1], StringComparison.Ordinal);
        Assert.Contains("potnet_core_rowbuffer.v", lines[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    private string Model(string format)
    {
        string path = Path.Combine(_dir, $"centroid-{format}.potnet");
        if (File.Exists(path)) return path;
        FloatModel network = CentroidNetwork.Build(mnist.Train.Take(5_000));
        var calibration = Enumerable.Range(0, 128).Select(i => mnist.Train.Images.Slice(i * 784, 784));
        QuantizedModel model = Quantizer.Quantize(network, new QuantizeOptions { Format = WeightFormat.Parse(format), PerChannel = true }, calibration);
        ModelFile.Save(model, path);
        return path;
    }
}
