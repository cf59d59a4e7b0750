using PotNet.Hardware.Energy;

namespace PotNet.Hardware.Tests.Energy;

public sealed class PowerReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("potnet-power-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Vivado = """
        1. Summary
        ----------

        +--------------------------+--------------+
        | Total On-Chip Power (W)  | 0.652        |
        | Design Power Budget (W)  | Unspecified* |
        | Power Budget Margin (W)  | NA           |
        | Dynamic (W)              | 0.059        |
        | Device Static (W)        | 0.593        |
        | Effective TJA (C/W)      | 1.0          |
        +--------------------------+--------------+
        """;

    [Fact]
    public void Reads_a_vivado_report_power_summary()
    {
        PowerReport r = PowerReport.Load(Write("design.rpt", Vivado));
        Assert.Equal(0.059, r.DynamicWatts);
        Assert.Equal(0.593, r.StaticWatts);
    }

    [Fact]
    public void Reads_json()
    {
        PowerReport r = PowerReport.Load(Write("p.json", """{"dynamic_w": 0.1, "static_w": 0.5, "total_w": 0.6}"""));
        Assert.Equal(0.6, r.TotalWatts, 12);
        Assert.Null(r.ComponentWatts);
    }

    [Fact]
    public void Reads_json_with_components()
    {
        PowerReport r = PowerReport.Load(Write("p.json", """{"dynamic_w": 0.3, "static_w": 0.5, "components_w": {"pe_arithmetic": 0.2, "control": 0.1}}"""));
        Assert.Equal(0.2, r.ComponentWatts!["pe_arithmetic"], 12);
        Assert.Equal(0.1, r.ComponentWatts["control"], 12);
    }

    [Theory]
    [InlineData("nothing here", "Dynamic (W)")]
    [InlineData("| Dynamic (W) | 0.1 |\n| Device Static (W) | 0.5 |\n| Total On-Chip Power (W) | 0.9 |", "total power")]
    [InlineData("""{"dynamic_w": -0.1, "static_w": 0.5}""", "dynamic_w")]
    [InlineData("""{"static_w": 0.5}""", "dynamic_w")]
    [InlineData("""{"dynamic_w": 0.3, "static_w": 0.5, "components_w": {"pe_arithmetic": 0.2}}""", "components_w")]
    [InlineData("""{"dynamic_w": 0.3, "static_w": 0.5, "components_w": {"pe_arithmetic": 0.4, "control": -0.1}}""", "components_w.control")]
    public void A_malformed_report_names_the_file_and_the_field(string text, string expected)
    {
        string path = Write("bad.rpt", text);
        var ex = Assert.Throws<PotNetException>(() => PowerReport.Load(path));
        Assert.StartsWith(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
