using System.Text;
using PotNet.Hardware.Energy;

namespace PotNet.Hardware.Tests.Energy;

public class EnergyTableTests
{
    [Fact]
    public void The_asic_preset_holds_the_published_figures()
    {
        EnergyTable t = EnergyTable.Load("asic-45nm");
        Assert.Equal(0.03, t.Curves[EventKind.Add].Curve.At(8), 12);
        Assert.Equal(0.1, t.Curves[EventKind.Add].Curve.At(32), 12);
        Assert.Equal(0.2, t.Curves[EventKind.Multiply].Curve.At(8), 12);
        Assert.Equal(3.1, t.Curves[EventKind.Multiply].Curve.At(32), 12);
        Assert.Equal(0.024, t.Curves[EventKind.Shift].Curve.At(8), 12);
        Assert.Equal(0.13, t.Curves[EventKind.Shift].Curve.At(32), 12);
        Assert.Equal(10, t.Curves[EventKind.MemoryRead].Curve.At(8192), 12);
        Assert.Equal(100, t.Curves[EventKind.MemoryRead].Curve.At(1 << 20), 12);
        Assert.Equal(0, t.Curves[EventKind.Gated].Curve.At(8));
    }

    [Fact]
    public void Between_published_widths_energy_follows_a_power_law()
    {
        PowerLaw multiply = EnergyTable.Load("asic-45nm").Curves[EventKind.Multiply].Curve;
        // 8 -> 32 bits is 15.5x, so 16 bits is sqrt(15.5) x the 8-bit energy: about quadratic.
        Assert.Equal(0.2 * Math.Sqrt(15.5), multiply.At(16), 12);
        Assert.True(multiply.At(12) < multiply.At(16));
    }

    [Fact]
    public void The_fpga_preset_is_derived_from_the_asic_one_as_its_description_says()
    {
        EnergyTable asic = EnergyTable.Load("asic-45nm"), fpga = EnergyTable.Load("fpga-xcup");
        Assert.Equal(asic.Curves[EventKind.Add].Curve.At(8) * 0.32 * 14, fpga.Curves[EventKind.Add].Curve.At(8), 6);
        Assert.Equal(asic.Curves[EventKind.Multiply].Curve.At(8) * 0.32 * 7, fpga.Curves[EventKind.HardMultiply].Curve.At(8), 6);
        Assert.True(fpga.Curves[EventKind.HardMultiply].Curve.At(8) < fpga.Curves[EventKind.Multiply].Curve.At(8));
    }

    [Fact]
    public void Every_preset_names_the_source_of_every_number()
    {
        foreach (string name in EnergyTable.Presets)
        {
            EnergyTable t = EnergyTable.Load(name);
            Assert.All(t.Curves.Values, c => Assert.Contains(c.Source, t.Sources.Keys));
            Assert.Contains(t.StaticPowerSource, t.Sources.Keys);
        }
    }

    [Fact]
    public void A_table_survives_writing_and_reading()
    {
        EnergyTable t = EnergyTable.Load("fpga-xcup");
        using var stream = new MemoryStream();
        t.Write(stream);
        EnergyTable back = EnergyTable.Read(new MemoryStream(stream.ToArray()), "copy.json");
        foreach (EventKind kind in Enum.GetValues<EventKind>())
        {
            Assert.Equal(t.Curves[kind].Curve.Points, back.Curves[kind].Curve.Points);
        }

        Assert.Equal(t.Sources, back.Sources);
    }

    [Theory]
    [InlineData("{", "table.json: line")]
    [InlineData("[]", "(root)")]
    [InlineData("""{"name":"x","sources":{"s":"me"},"static_power_mw":0,"static_power_source":"s","events":{}}""", "events.add")]
    [InlineData("""{"name":"x","sources":{"s":"me"},"static_power_mw":0,"static_power_source":"s","events":{"add":{"points":[[8,0.1]],"source":"nobody"}}}""", "events.add.source")]
    [InlineData("""{"name":"x","sources":{"s":"me"},"static_power_mw":0,"static_power_source":"s","events":{"add":{"points":[[8,-1]],"source":"s"}}}""", "events.add.points[0]")]
    [InlineData("""{"name":"x","sources":{"s":"me"},"static_power_mw":0,"static_power_source":"s","events":{"add":{"points":[],"source":"s"}}}""", "events.add.points")]
    [InlineData("""{"name":"x","sources":{"s":"me"},"static_power_mw":-1,"static_power_source":"s","events":{}}""", "static_power_mw")]
    public void A_malformed_table_names_the_file_and_field(string json, string expected)
    {
        var ex = Assert.Throws<PotNetException>(() => EnergyTable.Read(new MemoryStream(Encoding.UTF8.GetBytes(json)), "table.json"));
        Assert.StartsWith("table.json", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_preset_or_missing_file_is_named()
    {
        var ex = Assert.Throws<PotNetException>(() => EnergyTable.Load("asic-7nm"));
        Assert.Contains("asic-7nm", ex.Message, StringComparison.Ordinal);
        Assert.Contains("asic-45nm", ex.Message, StringComparison.Ordinal);
    }
}
