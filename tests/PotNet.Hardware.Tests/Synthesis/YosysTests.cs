using PotNet.Hardware.Synthesis;

namespace PotNet.Hardware.Tests.Synthesis;

public sealed class YosysTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("potnet-yosys-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // A shift-accumulate and a multiply-accumulate of the same widths: the smallest BAC and MAC.
    private const string Shift = """
        module pe (input clk, input [7:0] x, input [3:0] code, output reg signed [23:0] acc);
          wire [14:0] shifted = {7'b0, x} << code[2:0];
          always @(posedge clk) acc <= code[3] ? acc - shifted : acc + shifted;
        endmodule
        """;

    private const string Multiply = """
        module pe (input clk, input [7:0] x, input signed [3:0] w, output reg signed [23:0] acc);
          always @(posedge clk) acc <= acc + $signed({1'b0, x}) * w;
        endmodule
        """;

    [Fact]
    public void Parses_stat_json()
    {
        const string json = """
            { "creator": "Yosys 0.23 (git sha1 7ce5011c24b)", "invocation": "stat -json ",
              "modules": { "\\pe": { "num_cells": 3, "num_cells_by_type": { "LUT2": 1 } } },
              "design": { "num_cells": 60, "num_cells_by_type": { "BUFG": 1, "CARRY4": 6, "DSP48E2": 1, "FDRE": 24, "LUT2": 20, "LUT6": 4, "RAMB18E2": 3, "RAMB36E2": 1, "MUXF7": 0 } } }
            """;
        ResourceReport r = ResourceReport.Parse(json, "stat.json");
        Assert.Equal(24, r.Luts);
        Assert.Equal(24, r.FlipFlops);
        Assert.Equal(6, r.Carries);
        Assert.Equal(1, r.Dsps);
        Assert.Equal(2.5, r.Brams);
        Assert.Equal(60, r.Cells);
        Assert.StartsWith("Yosys 0.23", r.Tool, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_stat_file_names_the_field()
    {
        var ex = Assert.Throws<PotNetException>(() => ResourceReport.Parse("""{"design": {"num_cells_by_type": {"LUT2": "many"}}}""", "stat.json"));
        Assert.Contains("design.num_cells_by_type.LUT2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shift_accumulator_uses_no_dsp_and_a_multiplier_does()
    {
        ResourceReport shift = Synthesise("shift", Shift, SynthesisTarget.UltraScalePlus);
        ResourceReport multiply = Synthesise("multiply", Multiply, SynthesisTarget.UltraScalePlus);
        ResourceReport multiplyInLuts = Synthesise("multiply", Multiply, SynthesisTarget.UltraScalePlusNoDsp);
        Assert.Equal(0, shift.Dsps);
        Assert.Equal(1, multiply.Dsps);
        Assert.Equal(0, multiplyInLuts.Dsps);
        Assert.True(multiplyInLuts.Luts > multiply.Luts);
        Assert.True(shift.FlipFlops >= 24);
    }

    [Fact]
    public void Generic_gates_come_with_a_transistor_estimate()
    {
        ResourceReport gates = Synthesise("shift", Shift, SynthesisTarget.GenericGates);
        Assert.True(gates.Transistors > 0);
        Assert.Equal(0, gates.Luts);
        Assert.True(gates.Cells > 24);
    }

    [Fact]
    public void A_design_that_does_not_synthesise_is_named()
    {
        var ex = Assert.Throws<PotNetException>(() => Synthesise("broken", "module pe (input a; endmodule", SynthesisTarget.UltraScalePlus));
        Assert.Contains("pe: Yosys synthesis", ex.Message, StringComparison.Ordinal);
    }

    private ResourceReport Synthesise(string name, string verilog, SynthesisTarget target)
    {
        string file = Path.Combine(_dir, $"{name}.v");
        File.WriteAllText(file, verilog);
        return YosysSynthesis.Run([file], "pe", target, Path.Combine(_dir, name));
    }
}
