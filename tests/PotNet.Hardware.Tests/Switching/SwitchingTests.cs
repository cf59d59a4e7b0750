using PotNet.Engines;
using PotNet.Formats;
using PotNet.Hardware.Switching;
using PotNet.Model;

namespace PotNet.Hardware.Tests.Switching;

public sealed class SwitchingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Value_change_dumps_count_bit_flips_per_variable()
    {
        string vcd = _temp.Sub("t.vcd");
        File.WriteAllText(vcd, """
            $timescale 1ps $end
            $scope module tb $end
            $scope module dut $end
            $var wire 1 ! clk $end
            $var wire 4 " q [3:0] $end
            $var reg 1 # z $end
            $upscope $end
            $upscope $end
            $enddefinitions $end
            #0
            0!
            bx "
            0#
            #1
            1!
            b101 "
            1#
            #2
            0!
            b1010 "
            #3
            b1011 "
            0#
            """);
        IReadOnlyDictionary<string, long> toggles = ValueChangeDump.CountToggles(vcd, n => n.EndsWith(".clk", StringComparison.Ordinal));
        // q: x -> 0101 (not counted), 0101 -> 1010 (4), 1010 -> 1011 (1); z: 0 -> 1 -> 0 (2).
        Assert.Equal(5, toggles["tb.dut.q"]);
        Assert.Equal(2, toggles["tb.dut.z"]);
        Assert.DoesNotContain("tb.dut.clk", toggles.Keys);
    }

    [Fact]
    public void A_trace_is_what_lane_zero_of_pe_zero_reads_and_multiplies()
    {
        QuantizedModel model = HardwareNetworks.Create(3, WeightFormat.Pot(4));
        var schedule = Schedule.Create(model, new AcceleratorConfig(PeKind.Bac, 2, 3));
        ReadOnlyMemory<byte>[] images = HardwareNetworks.Images(model, 1, 4);
        IReadOnlyList<LaneInput> trace = OperandTrace.Of(schedule, images, int.MaxValue);

        Assert.Equal(schedule.Passes.Where(p => p.IsCompute).Sum(p => p.IssueCycles), trace.Count);
        Pass first = schedule.Passes.First(p => p.IsCompute);
        byte[] image = images[0].ToArray();
        for (int step = 0; step < first.Steps; step++)
        {
            int address = first.Lane(new Issue(0, 0, step), 0);
            Assert.Equal(address >= 0 ? image[address] : 0, trace[step].X);
            Assert.Equal(schedule.LaneCode(first, 0, new Issue(0, 0, step), 0), trace[step].Code);
        }

        Assert.Equal(10, OperandTrace.Of(schedule, images, 10).Count);
    }

    [Fact]
    public void Gating_stops_a_lane_switching_on_zero_weights()
    {
        // Activations change every cycle, the weight is always zero: ungated, the lane's operand
        // registers and shifter follow x; gated, they hold (the gates in front of the registers still
        // see x change: about 6x fewer toggles were measured).
        WeightFormat format = WeightFormat.Pot(4);
        var random = new Random(1);
        LaneInput[] trace = [.. Enumerable.Range(0, 200).Select(_ => new LaneInput(true, (byte)random.Next(256), format.ZeroCode))];
        long Toggles(bool gating) => GateLevelLane.Measure(new AcceleratorConfig(PeKind.Bac, 1, 1, gating), format, 16, trace, _temp.Sub($"g{gating}")).Toggles;
        Assert.True(Toggles(true) * 4 < Toggles(false), $"{Toggles(true)} vs {Toggles(false)}");
    }

    [Fact]
    public void A_multiplier_lane_switches_more_than_a_shift_lane_on_the_same_operands()
    {
        var random = new Random(2);
        (byte X, int Level)[] operands = [.. Enumerable.Range(0, 300).Select(_ => ((byte)random.Next(256), new[] { -4, -2, -1, 1, 2, 4 }[random.Next(6)]))];
        LaneActivity Run(PeKind pe, WeightFormat format) => GateLevelLane.Measure(
            new AcceleratorConfig(pe, 1, 1, Multiplier: MacMultiplier.Lut), format, 16,
            [.. operands.Select(o => new LaneInput(true, o.X, format.Encode(o.Level)))], _temp.Sub(pe.ToString()));
        LaneActivity bac = Run(PeKind.Bac, WeightFormat.Pot(4)), mac = Run(PeKind.Mac, WeightFormat.Uniform(4));
        Assert.Equal(300, bac.Products);
        Assert.True(mac.TogglesPerOperation > bac.TogglesPerOperation, $"mac {mac.TogglesPerOperation} vs bac {bac.TogglesPerOperation}");
        Assert.True(mac.Cells > bac.Cells);
    }
}
