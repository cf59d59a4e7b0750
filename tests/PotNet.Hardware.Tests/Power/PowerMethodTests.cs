using System.Globalization;
using PotNet.Hardware.Power;
using PotNet.Hardware.Simulation;

namespace PotNet.Hardware.Tests.Power;

/// <summary>
/// The independent check of the gate-level power method: on a circuit whose activity OpenSTA's
/// propagation gets exactly (a tree of gates on independent inputs that never switch together, and a
/// flip-flop sampling an input), the energy summed from simulated transitions equals OpenSTA's own
/// report_power at the same input activity, within 5 %.
/// </summary>
public sealed class PowerMethodTests : IDisposable
{
    private const int Cycles = 20_000;
    private const double Activity = 0.3;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    // Every input feeds one cell: no reconvergence, so probabilities propagate exactly.
    private const string Circuit = """
        module check (input clk, input [8:0] a, output [5:0] y);
            wire b, c, d;
            AND2X1 g0 (.A(a[0]), .B(a[1]), .Y(y[0]));
            XOR2X1 g1 (.A(a[2]), .B(a[3]), .Y(y[1]));
            NOR2X1 g2 (.A(a[4]), .B(a[5]), .Y(b));
            INVX1 g3 (.A(b), .Y(y[2]));
            INVX1 g4 (.A(a[6]), .Y(c));
            BUFX2 g5 (.A(c), .Y(y[3]));
            OAI21X1 g6 (.A(a[7]), .B(a[8]), .C(c), .Y(d));
            INVX2 g7 (.A(d), .Y(y[4]));
            DFFPOSX1 g8 (.CLK(clk), .D(a[0]), .Q(y[5]));
        endmodule
        """;

    [Fact]
    public void Energy_from_simulated_transitions_equals_OpenSTA_at_the_same_activity()
    {
        CellLibrary library = CellLibrary.Load(CellLibrary.Osu018);
        File.WriteAllText(_temp.Sub("check.v"), Circuit);
        GateDesign gates = GateSynthesis.Run(["check.v"], "check", library, _temp.Path, _temp.Sub("synth"));
        Assert.Equal(9, gates.Netlist.Instances.Count);

        // Each input flips with probability Activity once per cycle, each at its own time (no simultaneous switching).
        string sim = _temp.Sub("sim");
        Directory.CreateDirectory(sim);
        File.WriteAllText(Path.Combine(sim, "cells.v"), CellModels.Verilog(library));
        File.WriteAllText(Path.Combine(sim, "netlist.v"), gates.Netlist.Verilog());
        File.WriteAllText(Path.Combine(sim, "tb.v"), $$"""
            `timescale 1ns/1ps
            /* verilator coverage_off */
            module tb;
                reg clk = 1'b0;
                reg [8:0] a = 9'd0;
                wire [5:0] y;
                integer i, k, seed;
                check dut (.clk(clk), .a(a), .y(y));
                initial begin
                    seed = $urandom(5);
                    for (i = 0; i < {{Cycles}}; i = i + 1) begin
                        for (k = 0; k < 9; k = k + 1) begin
                            #1;
                            if ($urandom % 1000 < {{(int)(Activity * 1000)}}) a = a ^ (9'd1 << k);
                        end
                        #1 clk = 1'b1;
                        #1 clk = 1'b0;
                    end
                    $finish;
                end
            endmodule
            """);
        GateSimulation.BuildAndRun(sim, "tb", ["cells.v", "netlist.v", "tb.v"]);
        IReadOnlyDictionary<int, long> toggles = GateSimulation.Coverage(Path.Combine(sim, "coverage.dat"));
        YosysPort clock = gates.Netlist.Ports.Single(p => p.Name == "clk");
        Assert.Equal(2L * Cycles, toggles[clock.Bits[0]]);
        YosysPort inputs = gates.Netlist.Ports.Single(p => p.Name == "a");
        foreach (int net in inputs.Bits) Assert.InRange(toggles[net] / (double)Cycles, Activity * 0.9, Activity * 1.1);

        StaResult sta = OpenSta.Run(gates.Netlist, library, _temp.Sub("sta"));
        var activity = new GateActivity(toggles, Cycles, [], new Dictionary<string, long>(), new Dictionary<string, long>(), 0, 0);
        double summed = GatePower.Price(gates.Netlist, library, activity, sta, images: 1).Sum(c => c.DynamicPicojoules) * 1e-12 / (Cycles * OpenSta.PeriodNanoseconds * 1e-9);

        double propagated = PropagatedPower(_temp.Sub("sta"), gates.Netlist.Top);
        Assert.True(propagated > 0);
        Assert.InRange(summed / propagated, 0.95, 1.05);
    }

    /// <summary>OpenSTA's report_power with the inputs' activity set and propagated: internal plus switching power.</summary>
    private static double PropagatedPower(string dir, string top)
    {
        File.WriteAllText(Path.Combine(dir, "propagated.tcl"), $"""
            read_liberty {CellLibrary.Osu018}
            read_verilog sta-netlist.v
            link_design {top}
            create_clock -name clk -period {OpenSta.PeriodNanoseconds.ToString(CultureInfo.InvariantCulture)} [get_ports clk]
            set_power_activity -input -activity {Activity.ToString(CultureInfo.InvariantCulture)} -duty 0.5
            report_power
            exit
            """);
        ProcessResult r = Run(dir, ["sta", "-no_splash", "-exit", "propagated.tcl"]);
        string[] total = r.Output.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).First(f => f.Length >= 5 && f[0] == "Total");
        return double.Parse(total[1], CultureInfo.InvariantCulture) + double.Parse(total[2], CultureInfo.InvariantCulture);
    }

    private static ProcessResult Run(string dir, IReadOnlyList<string> command)
    {
        ProcessResult r = ProcessRunner.Run(dir, command);
        Assert.True(r.ExitCode == 0, r.Tail());
        return r;
    }
}
