using System.Globalization;
using PotNet.Formats;
using PotNet.Hardware.Generation;
using PotNet.Hardware.Simulation;
using PotNet.Hardware.Synthesis;
using PotNet.Hardware.Verilog;

namespace PotNet.Hardware.Switching;

/// <summary>What one lane's gate netlist did over a trace.</summary>
/// <param name="Pe">The lane's PE kind, and its multiplier for a MAC.</param>
/// <param name="ZeroGating">Whether zero weights hold the operands.</param>
/// <param name="Cycles">Cycles simulated.</param>
/// <param name="Products">Cycles with a nonzero weight (products computed).</param>
/// <param name="ZeroWeights">Enabled cycles whose weight was the zero code.</param>
/// <param name="Toggles">Bit transitions of every net inside the lane (inputs and clock left out).</param>
/// <param name="Cells">Generic gates in the netlist.</param>
/// <param name="Transistors">Yosys's CMOS transistor estimate.</param>
public sealed record LaneActivity(string Pe, bool ZeroGating, long Cycles, long Products, long ZeroWeights, long Toggles, long Cells, long? Transistors)
{
    /// <summary>Toggles per enabled cycle (one lane operation, computed or gated).</summary>
    public double TogglesPerOperation => (double)Toggles / Math.Max(1, Products + ZeroWeights);
}

/// <summary>
/// Measures a lane's switching activity: Yosys synthesises the lane (the same <c>rtl/</c> module the
/// accelerator instantiates, with the same parameters) to generic gates; Icarus simulates that gate
/// netlist on an operand trace; the value change dump's bit transitions are counted. Toggles are
/// the dynamic energy of CMOS up to each net's capacitance, which this treats as equal: a
/// measurement of activity, not of joules.
/// </summary>
public static class GateLevelLane
{
    private const string Top = "lane_top";

    /// <summary>Synthesises and simulates the lane for <paramref name="config"/> and <paramref name="format"/> on <paramref name="trace"/>.</summary>
    public static LaneActivity Measure(AcceleratorConfig config, WeightFormat format, int accumulatorWidth, IReadOnlyList<LaneInput> trace, string workDirectory)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(trace);
        string dir = Path.GetFullPath(workDirectory);
        Directory.CreateDirectory(dir);
        IReadOnlyList<string> lane = RtlLibrary.LaneFiles(config.Pe);
        foreach (string file in lane) File.WriteAllText(Path.Combine(dir, file), RtlLibrary.Read(file));
        File.WriteAllText(Path.Combine(dir, "lane_top.v"), Wrapper(config, format, accumulatorWidth).Render());

        ResourceReport gates = YosysSynthesis.Run([.. lane, "lane_top.v"], Top, SynthesisTarget.GenericGates, dir, dir, netlist: "netlist.v");
        File.WriteAllText(Path.Combine(dir, "tb.v"), Testbench(format.Bits, accumulatorWidth, trace.Count));
        File.WriteAllLines(Path.Combine(dir, "trace.hex"), trace.Select(t => Word(t, format.Bits)));
        Run(dir, ["iverilog", "-g2005", "-o", "lane.vvp", "tb.v", "netlist.v"]);
        Run(dir, ["vvp", "-n", "lane.vvp"]);

        IReadOnlyDictionary<string, long> toggles = ValueChangeDump.CountToggles(
            Path.Combine(dir, "lane.vcd"), name => name.EndsWith(".clk", StringComparison.Ordinal) || IsInput(name));
        long products = trace.LongCount(t => t.Enable && t.Code != format.ZeroCode);
        long zeros = trace.LongCount(t => t.Enable && t.Code == format.ZeroCode);
        string pe = config.MultiplierName is string m ? $"mac-{m}" : config.PeName;
        return new LaneActivity(pe, config.ZeroGating, trace.Count, products, zeros, toggles.Values.Sum(), gates.Cells, gates.Transistors);
    }

    private static bool IsInput(string name) =>
        name.EndsWith("dut.en", StringComparison.Ordinal) || name.EndsWith("dut.x", StringComparison.Ordinal) || name.EndsWith("dut.code", StringComparison.Ordinal);

    /// <summary>A top module holding one lane, ports as the lane's.</summary>
    private static VerilogModule Wrapper(AcceleratorConfig config, WeightFormat format, int acc)
    {
        var module = new VerilogModule(Top, "One accelerator lane on its own, for switching-activity measurement.")
            .Input("clk").Input("en").Input("x", 8).Input("code", format.Bits).Output("zero").Output("p", acc);
        module.Add(TopLevelGenerator.LaneInstance(config, format, acc, "u_lane")
            .Connect("clk", "clk").Connect("en", "en").Connect("x", "x").Connect("code", "code").Connect("zero", "zero").Connect("p", "p"));
        return module;
    }

    /// <summary>Drives one trace word per clock, and dumps the netlist's changes.</summary>
    private static string Testbench(int bits, int acc, int cycles) => $$"""
        `timescale 1ns/1ps
        module tb;
            reg clk = 1'b0;
            reg en = 1'b0;
            reg [7:0] x = 8'd0;
            reg [{{bits - 1}}:0] code = {{bits}}'d0;
            wire zero;
            wire [{{acc - 1}}:0] p;
            reg [{{bits + 8}}:0] trace [0:{{cycles - 1}}];
            integer i;
            {{Top}} dut (.clk(clk), .en(en), .x(x), .code(code), .zero(zero), .p(p));
            initial begin
                $readmemh("trace.hex", trace);
                $dumpfile("lane.vcd");
                $dumpvars(0, dut);
                for (i = 0; i < {{cycles}}; i = i + 1) begin
                    {en, x, code} = trace[i];
                    #1 clk = 1'b1;
                    #1 clk = 1'b0;
                end
                $finish;
            end
        endmodule
        """;

    private static string Word(LaneInput t, int bits) =>
        (((t.Enable ? 1L : 0L) << (bits + 8)) | ((long)t.X << bits) | (uint)t.Code).ToString("x", CultureInfo.InvariantCulture);

    private static void Run(string dir, IReadOnlyList<string> command)
    {
        ProcessResult result = ProcessRunner.Run(dir, command);
        if (result.ExitCode != 0) throw new PotNetException($"switching activity: {command[0]} failed in {dir} (exit {result.ExitCode}): {result.Tail().Replace('\n', ' ')}");
    }
}
