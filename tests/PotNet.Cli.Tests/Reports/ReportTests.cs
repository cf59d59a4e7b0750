using PotNet.Cli.Reports;

namespace PotNet.Cli.Tests.Reports;

public sealed class ReportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("potnet-report-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_report_has_every_table_figure_and_source()
    {
        ReportBuilder.Write(SampleResults.Create(), _dir);
        string md = File.ReadAllText(Path.Combine(_dir, "report.md"));
        foreach (string part in new[] { "## Models", "## Accelerators", "## Energy per inference: asic-45nm", "## Energy per inference: fpga-xcup", "Yosys 0.23", "ReferenceEngine on the MNIST test set", "An energy model" })
        {
            Assert.Contains(part, md, StringComparison.Ordinal);
        }

        foreach (string figure in new[] { "pruning.png", "resources-logic.png", "resources-blocks.png", "accuracy-energy-asic-45nm.png", "layer-energy-fpga-xcup.png" })
        {
            Assert.Contains($"]({figure})", md, StringComparison.Ordinal);
            byte[] png = File.ReadAllBytes(Path.Combine(_dir, figure));
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        }
    }

    [Fact]
    public void The_pruning_curves_with_zero_skipping_are_drawn_when_the_results_have_skipping_designs()
    {
        ResultSet sample = SampleResults.Create();
        string plain = ReportBuilder.Build(sample).ToMarkdown();
        Assert.DoesNotContain("](pruning-cycles.png)", plain, StringComparison.Ordinal);
        Assert.DoesNotContain("](pruning-energy-asic-45nm.png)", plain, StringComparison.Ordinal);

        ResultPoint Skipping(ResultPoint p) => p with { Id = p.Id + "-skip", Design = p.Design! with { Dataflow = "rowbuffer", ZeroSkipping = true } };
        ResultSet set = sample with
        {
            Points = [.. sample.Points, Skipping(SampleResults.Point("pot4", "bac", 0.989, 9_000, 0.5, "log")), Skipping(SampleResults.Point("pot4", "bac", 0.988, 10_000, 0.5, "magnitude"))],
        };
        string md = ReportBuilder.Build(set).ToMarkdown();
        Assert.Contains("](pruning-cycles.png)", md, StringComparison.Ordinal);
        Assert.Contains("](pruning-energy-asic-45nm.png)", md, StringComparison.Ordinal);
        Assert.Contains("| pot4 magnitude 50 % bac rowbuffer skipping | rowbuffer | 4 | 8 | yes | yes |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Efficiency_is_the_baselines_energy_over_the_designs()
    {
        // uniform4 on DSP MACs: 30,000 pJ; pot4 on BACs: 18,000 pJ -> 1.67x.
        string md = ReportBuilder.Build(SampleResults.Create()).ToMarkdown();
        Assert.Contains("| pot4 bac | stream | 18 | 18 | 0 | 1.67x | 1.67x |", md, StringComparison.Ordinal);
        Assert.Contains("| uniform4 mac/dsp | stream | 30 | 30 | 0 | 1.00x | 1.00x |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_dataflow_is_priced_against_its_own_uniform4_mac_and_broken_down_by_component()
    {
        // On rowbuffer, uniform4 on MAC takes 10,000 pJ and pot4 on BAC 8,000: 1.25x at equal data movement, 3.75x against stream's MAC.
        ResultSet sample = SampleResults.Create();
        ResultPoint RowBuffer(ResultPoint p) => p with { Id = p.Id + "-rowbuffer", Design = p.Design! with { Dataflow = "rowbuffer" } };
        ResultSet set = sample with
        {
            Points = [.. sample.Points, RowBuffer(SampleResults.Point("uniform4", "mac", 0.991, 10_000, mac: "dsp")), RowBuffer(SampleResults.Point("pot4", "bac", 0.990, 8_000))],
        };
        string md = ReportBuilder.Build(set).ToMarkdown();
        Assert.Contains("| pot4 bac rowbuffer | rowbuffer | 8 | 8 | 0 | 1.25x | 3.75x |", md, StringComparison.Ordinal);
        Assert.Contains("| uniform4 mac/dsp rowbuffer | rowbuffer | 10 | 10 | 0 | 1.00x | 3.00x |", md, StringComparison.Ordinal);
        // The sample's components: 60 % "pe" (not the PEs' arithmetic or accumulators by name), 40 % weight ROM: memory and control are everything.
        Assert.Contains("| design | dataflow | pe | weight_rom | memory + control |", md, StringComparison.Ordinal);
        Assert.Contains("| pot4 bac rowbuffer | rowbuffer | 4.8 | 3.2 | 100 % |", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Gate_level_power_sits_beside_the_tables_with_its_own_efficiency()
    {
        // uniform4 on DSP MACs: 40 nJ at gate level; pot4 on BACs 25 nJ -> 1.60x; the tables' own totals are 30 and 18 nJ.
        static ResultPoint Measured(ResultPoint p, double logic, double memories, double statik)
        {
            DesignFigures d = p.Design!;
            var gate = new GatePowerFigures(
                "osu018", 20, true, 30_000, 1.0e6, 120, d.CyclesPerInference,
                [new("pe_arithmetic", false, 16_000, logic), new("weight_rom", true, 0, memories)], 1.4e-4, statik, "tool-computed: OpenSTA", "modelled: Horowitz",
                new Dictionary<string, double>(), d.Energy);
            return p with { Design = d with { GatePower = gate } };
        }

        ResultSet set = SampleResults.Create();
        ResultPoint[] points = [.. set.Points];
        points[0] = Measured(points[0], 30_000, 9_000, 1_000);
        points[2] = Measured(points[2], 16_000, 8_000, 1_000);
        string md = ReportBuilder.Build(set with { Points = points }).ToMarkdown();

        Assert.Contains("## Gate-level power (osu018)", md, StringComparison.Ordinal);
        Assert.Contains("| pot4 bac | yes (20) | 30,000 | 1.000 | 120.0 | 16 | 8 | 24 | 1 | 25 | 1.60x |", md, StringComparison.Ordinal);
        Assert.Contains("| uniform4 mac/dsp | 40 | 1.00x | 30 | 0.750 | 1.00x |", md, StringComparison.Ordinal);
        Assert.Contains("| pot4 bac | 25 | 1.60x | 18 | 0.720 | 1.67x |", md, StringComparison.Ordinal);
        Assert.DoesNotContain("apot4 apot | yes", md, StringComparison.Ordinal);
    }

    [Fact]
    public void The_html_is_self_contained()
    {
        ReportBuilder.Write(SampleResults.Create(), _dir);
        string html = File.ReadAllText(Path.Combine(_dir, "report.html"));
        Assert.Contains("data:image/png;base64,", html, StringComparison.Ordinal);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain(".png\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_json_round_trips()
    {
        ResultSet set = SampleResults.Create();
        string path = Path.Combine(_dir, "r.json");
        set.Save(path);
        ResultSet back = ResultSet.Load(path);
        Assert.Equal(set.Points.Select(p => p.Id), back.Points.Select(p => p.Id));
        Assert.Equal(set.Points[2].Design!.Energy[1].TotalPicojoules, back.Points[2].Design!.Energy[1].TotalPicojoules);
    }
}
