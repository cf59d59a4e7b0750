using System.Text;
using PotNet.Hardware.Energy;

namespace PotNet.Hardware.Tests.Energy;

public class EnergyModelTests
{
    /// <summary>The asic-45nm figures with 10 mW of static power, to check the static term by hand.</summary>
    internal static EnergyTable TableWithStaticPower(double milliwatts)
    {
        EnergyTable asic = EnergyTable.Load("asic-45nm");
        return new EnergyTable("test", "", asic.Sources, asic.Curves, milliwatts, asic.StaticPowerSource);
    }

    [Fact]
    public void A_hand_computed_inference()
    {
        EnergyEvent[] events =
        [
            new("pe", EventKind.Shift, 8, 1000, "conv1"),             // 1000 x 0.024 pJ =   24 pJ
            new("pe", EventKind.Gated, 8, 500, "conv1"),              //  500 x 0       =    0 pJ
            new("accumulator", EventKind.Add, 32, 1000, "conv1"),     // 1000 x 0.1     =  100 pJ
            new("weight_rom", EventKind.MemoryRead, 64, 100, "fc1", MemoryBytes: 8192), // 100 x 10 = 1000 pJ
            new("activation_buffer", EventKind.MemoryWrite, 8, 80, "fc1", MemoryBytes: 8192), // 80 x 10/8 = 100 pJ
        ];
        // 10 mW for 1000 cycles at 100 MHz (10 us): 100 nJ = 100,000 pJ.
        EnergyEstimate e = EnergyModel.Estimate(events, TableWithStaticPower(10), cycles: 1000, clockMegahertz: 100);
        Assert.Equal(1224, e.DynamicPicojoules, 9);
        Assert.Equal(100_000, e.StaticPicojoules, 6);
        Assert.Equal(101_224, e.TotalPicojoules, 6);
        Assert.Equal(1e-5, e.LatencySeconds, 15);
        Assert.Equal(124, e.ByLayer()["conv1"], 9);
        Assert.Equal(1100, e.ByLayer()["fc1"], 9);
        Assert.Equal(24, e.ByComponent()["pe"], 9);
    }

    [Fact]
    public void A_shift_costs_less_than_a_multiply_at_every_width_in_both_presets()
    {
        foreach (string name in EnergyTable.Presets)
        {
            EnergyTable t = EnergyTable.Load(name);
            foreach (int bits in new[] { 4, 8, 16, 24, 32 })
            {
                Assert.True(t.Price(new("pe", EventKind.Shift, bits, 1)) < t.Price(new("pe", EventKind.Multiply, bits, 1)), $"{name} {bits}");
            }
        }
    }

    [Fact]
    public void A_bad_clock_is_refused() =>
        Assert.Throws<PotNetException>(() => EnergyModel.Estimate([], EnergyTable.Load("asic-45nm"), 10, 0));
}
