using System.Text.Json;
using PotNet.Float;
using PotNet.Formats;
using PotNet.Model;
using PotNet.Quantization;
using PotNet.Serialization;

namespace PotNet.Cli.Tests;

/// <summary><c>potnet energy</c>, <c>energy calibrate</c> and <c>hw synth</c> on small generated designs.</summary>
public sealed class EnergyCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("potnet-cli-energy-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Energy_is_the_sum_of_its_lines_and_names_its_table()
    {
        (string model, string design) = Design("pot4", "bac");
        var result = Cli.Run("energy", model, "--design", design, "--json");
        Assert.True(result.Code == 0, result.Error);
        using JsonDocument report = JsonDocument.Parse(result.Out);
        JsonElement r = report.RootElement;
        double lines = r.GetProperty("lines").EnumerateArray().Sum(l => l.GetProperty("picojoules").GetDouble());
        Assert.Equal(r.GetProperty("dynamic_picojoules").GetDouble(), lines, 6);
        string[] kinds = [.. Enum.GetValues<PotNet.Hardware.Energy.EventKind>().Select(k => JsonNamingPolicy.SnakeCaseLower.ConvertName(k.ToString()))];
        Assert.All(r.GetProperty("lines").EnumerateArray(), l => Assert.Contains(l.GetProperty("kind").GetString(), kinds));
        Assert.Equal(r.GetProperty("total_picojoules").GetDouble(), r.GetProperty("dynamic_picojoules").GetDouble() + r.GetProperty("static_picojoules").GetDouble(), 6);
        Assert.Equal("asic-45nm", r.GetProperty("table").GetString());
        Assert.Contains("energy model", r.GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.True(r.GetProperty("by_component").GetProperty("pe_arithmetic").GetDouble() > 0);
        Assert.True(r.GetProperty("by_layer").GetProperty("hidden").GetDouble() > 0);

        var text = Cli.Run("energy", model, "--design", design, "--tech", "fpga-xcup", "--clock", "200");
        Assert.True(text.Code == 0, text.Error);
        Assert.Contains("energy per inference:", text.Out, StringComparison.Ordinal);
        Assert.Contains("table fpga-xcup", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shift_pe_spends_less_on_arithmetic_than_a_multiplier_pe()
    {
        double Arithmetic(string format, string pe)
        {
            (string model, string design) = Design(format, pe);
            using JsonDocument r = JsonDocument.Parse(Cli.Run("energy", model, "--design", design, "--json").Out);
            return r.RootElement.GetProperty("by_component").GetProperty("pe_arithmetic").GetDouble();
        }

        Assert.True(Arithmetic("pot4", "bac") < Arithmetic("uniform4", "mac"));
    }

    [Fact]
    public void Another_model_or_a_bad_table_is_refused()
    {
        (_, string design) = Design("pot4", "bac");
        (string other, _) = Design("pot3", "bac");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("energy", other, "--design", design), other, "is not the model");
        string table = Path.Combine(_dir, "table.json");
        File.WriteAllText(table, """{"name": "broken"}""");
        (string model, _) = Design("pot4", "bac");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("energy", model, "--design", design, "--tech", table), table, "sources");
    }

    [Fact]
    public void Calibration_through_the_command_recovers_a_known_factor()
    {
        (string model, string design) = Design("pot4", "bac");
        using JsonDocument asic = JsonDocument.Parse(Cli.Run("energy", model, "--design", design, "--json", "--clock", "100").Out);
        double dynamic = asic.RootElement.GetProperty("dynamic_picojoules").GetDouble();
        double seconds = asic.RootElement.GetProperty("latency_seconds").GetDouble();
        // A "measured" design that spends exactly 3x the table's dynamic energy, with 0.25 W static.
        string report = Path.Combine(_dir, "power.json");
        File.WriteAllText(report, $$"""{"dynamic_w": {{3 * dynamic * 1e-12 / seconds}}, "static_w": 0.25}""");
        string table = Path.Combine(_dir, "calibrated.json");
        var fit = Cli.Run("energy", "calibrate", "--design", design, "--report", report, "--clock", "100", "--out", table);
        Assert.True(fit.Code == 0, fit.Error);
        Assert.Contains("static power: 250 mW", fit.Out, StringComparison.Ordinal);
        Assert.Contains("memory_read: x ", fit.Out, StringComparison.Ordinal);

        using JsonDocument calibrated = JsonDocument.Parse(Cli.Run("energy", model, "--design", design, "--json", "--clock", "100", "--tech", table).Out);
        Assert.Equal(3 * dynamic, calibrated.RootElement.GetProperty("dynamic_picojoules").GetDouble(), 3);
        Assert.Equal(0.25 * seconds * 1e12, calibrated.RootElement.GetProperty("static_picojoules").GetDouble(), 3);
    }

    [Fact]
    public void Calibration_needs_one_report_per_design()
    {
        (_, string design) = Design("pot4", "bac");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("energy", "calibrate", "--design", design, "--design", design, "--report", "a.rpt", "--out", "t.json"), "one report per design");
    }

    [Fact]
    public void Synthesis_finds_dsps_only_where_a_multiplier_asked_for_them()
    {
        (_, string bac) = Design("pot4", "bac");
        var synth = Cli.Run("hw", "synth", bac, "--json", "--full");
        Assert.True(synth.Code == 0, synth.Error);
        using JsonDocument b = JsonDocument.Parse(synth.Out);
        JsonElement xcup = b.RootElement.GetProperty("results").GetProperty("pe/xcup");
        Assert.Equal(0, xcup.GetProperty("dsps").GetInt64());
        Assert.True(xcup.GetProperty("luts").GetInt64() > 0);
        Assert.Contains("not Vivado", b.RootElement.GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(bac, "synth.json")));
        JsonElement whole = b.RootElement.GetProperty("results").GetProperty("design/xcup");
        Assert.Equal(0, whole.GetProperty("dsps").GetInt64());
        Assert.True(whole.GetProperty("luts").GetInt64() > xcup.GetProperty("luts").GetInt64());

        (_, string mac) = Design("uniform4", "mac");
        using JsonDocument m = JsonDocument.Parse(Cli.Run("hw", "synth", mac, "--json").Out);
        Assert.True(m.RootElement.GetProperty("results").GetProperty("pe/xcup").GetProperty("dsps").GetInt64() > 0);
        Assert.Equal(0, m.RootElement.GetProperty("results").GetProperty("pe/xcup-nodsp").GetProperty("dsps").GetInt64());
    }

    /// <summary>A small conv-pool-dense network, post-training quantised, and its generated design.</summary>
    private (string Model, string Design) Design(string format, string pe)
    {
        string model = Path.Combine(_dir, $"{format}.potnet"), design = Path.Combine(_dir, $"{format}-{pe}");
        if (Directory.Exists(design)) return (model, design);
        var random = new Random(5);
        float[] Init(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var network = new FloatModel(new Shape(1, 6, 6),
        [
            new FloatComputeLayer("hidden", new ConvGeometry(1, 3, 3, 3, 1, 0), Init(27), Init(3), relu: true),
            new MaxPool2d("pool", 2, 2),
            new Flatten("flatten"),
            FloatComputeLayer.Dense("logits", 12, 4, Init(48), Init(4), relu: false),
        ]);
        var images = Enumerable.Range(0, 16).Select(_ =>
        {
            var image = new byte[36];
            random.NextBytes(image);
            return (ReadOnlyMemory<byte>)image;
        });
        ModelFile.Save(Quantizer.Quantize(network, new QuantizeOptions { Format = WeightFormat.Parse(format) }, images), model);
        var generate = Cli.Run("hw", "generate", model, "--pe", pe, "--p", "2", "--l", "4", "--zero-gating", "--out", design);
        Assert.True(generate.Code == 0, generate.Error);
        return (model, design);
    }
}
