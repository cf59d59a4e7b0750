using System.Globalization;
using System.Text;
using PotNet.Hardware.Simulation;

namespace PotNet.Hardware.Power;

/// <summary>What a gate-level simulation saw.</summary>
/// <param name="Toggles">Transitions of every net, by net id, over the whole run.</param>
/// <param name="Cycles">Clock cycles of the whole run (reset and drain included).</param>
/// <param name="Outputs">Per image, the output beats: the logits, then the class.</param>
/// <param name="Reads">Reads of each macro instance, by instance id.</param>
/// <param name="Writes">Writes of each macro instance, by instance id.</param>
/// <param name="BuildSeconds">Verilator's build time.</param>
/// <param name="RunSeconds">The simulation's run time.</param>
public sealed record GateActivity(
    IReadOnlyDictionary<int, long> Toggles, long Cycles, IReadOnlyList<int[]> Outputs, IReadOnlyDictionary<string, long> Reads, IReadOnlyDictionary<string, long> Writes,
    double BuildSeconds, double RunSeconds);

/// <summary>
/// Simulates the flat gate netlist with Verilator on real images and counts every net's transitions
/// (Verilator's toggle coverage; zero delay, so glitches are not counted). Cells are
/// <see cref="CellModels"/>; macros are Yosys's own reading of the arrays, wrapped to count reads and
/// writes. The testbench streams the images through the top's AXI-stream ports, as the design's own
/// testbench does, and records every output beat, so the netlist is checked against the reference too.
/// </summary>
public static class GateSimulation
{
    private const string Bench = "potnet_power_tb";

    /// <summary>Builds and runs the simulation of <paramref name="images"/> in <paramref name="workDirectory"/>.</summary>
    public static GateActivity Run(GateNetlist netlist, CellLibrary library, string macroModels, IReadOnlyList<ReadOnlyMemory<byte>> images, int outputs, string workDirectory)
    {
        ArgumentNullException.ThrowIfNull(netlist);
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0) throw new PotNetException("gate-level power: no images to simulate");
        string dir = Path.GetFullPath(workDirectory);
        Directory.CreateDirectory(dir);
        int inputSize = images[0].Length;
        File.WriteAllText(Path.Combine(dir, "cells.v"), CellModels.Verilog(library));
        File.WriteAllText(Path.Combine(dir, "macros.v"), "/* verilator coverage_off */\n" + macroModels + Wrappers(netlist) + "/* verilator coverage_on */\n");
        File.WriteAllText(Path.Combine(dir, "netlist.v"), netlist.Verilog());
        File.WriteAllText(Path.Combine(dir, "tb.v"), Testbench(netlist.Top, inputSize, images.Count, outputs));
        File.WriteAllLines(Path.Combine(dir, "images.hex"), images.SelectMany(i => i.ToArray()).Select(b => b.ToString("x2", CultureInfo.InvariantCulture)));
        (ProcessResult build, ProcessResult run) = BuildAndRun(dir, Bench, ["cells.v", "macros.v", "netlist.v", "tb.v"]);
        string coverage = Path.Combine(dir, "coverage.dat");
        if (!run.Output.Contains("potnet-power-tb: done", StringComparison.Ordinal) || !File.Exists(coverage))
        {
            throw new PotNetException($"gate-level simulation in {dir} did not finish: {run.Tail().Replace('\n', ' ')}");
        }

        IReadOnlyDictionary<int, long> toggles = Coverage(coverage);
        var reads = new Dictionary<string, long>(StringComparer.Ordinal);
        var writes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string line in run.Output.Split('\n').Where(l => l.StartsWith("potnet-macro ", StringComparison.Ordinal)))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string id = f[1][(f[1].LastIndexOf('.') + 1)..];
            reads[id] = long.Parse(f[2], CultureInfo.InvariantCulture);
            writes[id] = long.Parse(f[3], CultureInfo.InvariantCulture);
        }

        YosysPort clock = netlist.Ports.Single(p => p.Name == "clk");
        long cycles = toggles.GetValueOrDefault(clock.Bits[0]) / 2;
        return new GateActivity(toggles, cycles, Beats(Path.Combine(dir, "outputs.txt"), outputs + 1), reads, writes, build.Elapsed.TotalSeconds, run.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// Builds <paramref name="sources"/> with Verilator's toggle coverage and a main that writes
    /// <c>coverage.dat</c> at the end (Verilator 5.006's own <c>--main</c> does not), and runs it in <paramref name="dir"/>.
    /// </summary>
    internal static (ProcessResult Build, ProcessResult Run) BuildAndRun(string dir, string top, IReadOnlyList<string> sources)
    {
        File.WriteAllText(Path.Combine(dir, "main.cpp"), $$$"""
            #include "verilated.h"
            #include "verilated_cov.h"
            #include "V{{{top}}}.h"
            #include <memory>
            int main(int argc, char** argv) {
                const std::unique_ptr<VerilatedContext> context{new VerilatedContext};
                context->commandArgs(argc, argv);
                const std::unique_ptr<V{{{top}}}> model{new V{{{top}}}{context.get()}};
                while (!context->gotFinish()) {
                    model->eval();
                    if (!model->eventsPending()) break;
                    context->time(model->nextTimeSlot());
                }
                model->final();
                context->coveragep()->write("coverage.dat");
                return 0;
            }
            """);
        File.Delete(Path.Combine(dir, "coverage.dat"));
        ProcessResult build = Tool(dir, [
            "verilator", "--cc", "--exe", "--build", "--timing", "--coverage-toggle", "-j", "2", "-CFLAGS", "-O1", "-Wno-fatal", "-Wno-lint", "-Wno-style",
            "--top-module", top, "-Mdir", "build", "-o", "sim", "main.cpp", .. sources]);
        return (build, Tool(dir, ["build/sim"]));
    }

    /// <summary>Per-net toggle counts from Verilator's coverage file: the points of the netlist's <c>n&lt;id&gt;</c> wires.</summary>
    internal static IReadOnlyDictionary<int, long> Coverage(string path)
    {
        var toggles = new Dictionary<int, long>();
        foreach (string line in File.ReadLines(path))
        {
            // C '<key>\x02<value>\x01...' <count>; the key 'o' holds the signal's name.
            if (!line.StartsWith("C '", StringComparison.Ordinal)) continue;
            int end = line.LastIndexOf('\'');
            string[] fields = line[3..end].Split('\x01');
            string? name = fields.Select(f => f.Split('\x02')).Where(kv => kv.Length == 2 && kv[0] == "o").Select(kv => kv[1]).FirstOrDefault();
            string? page = fields.Select(f => f.Split('\x02')).Where(kv => kv.Length == 2 && kv[0] == "page").Select(kv => kv[1]).FirstOrDefault();
            if (name is null || page is null || !page.StartsWith("v_toggle", StringComparison.Ordinal)) continue;
            if (name.Length < 2 || name[0] != 'n' || !int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int net)) continue;
            toggles[net] = toggles.GetValueOrDefault(net) + long.Parse(line[(end + 1)..].Trim(), CultureInfo.InvariantCulture);
        }

        return toggles;
    }

    private static List<int[]> Beats(string path, int perImage)
    {
        if (!File.Exists(path)) throw new PotNetException($"{path}: the gate-level testbench wrote no outputs");
        int[] values = [.. File.ReadLines(path).Where(l => l.Length > 0).Select(l => int.Parse(l, CultureInfo.InvariantCulture))];
        return [.. values.Chunk(perImage)];
    }

    /// <summary>Each macro: its bit-by-bit ports around the array, with read and write counters.</summary>
    private static string Wrappers(GateNetlist netlist)
    {
        var text = new StringBuilder();
        foreach (MemoryMacro m in netlist.Macros)
        {
            string name = netlist.MacroName(m);
            var pins = m.Ports.SelectMany(p => Enumerable.Range(0, p.Bits.Count).Select(k => (Port: p, Pin: GateNetlist.MacroPin(p, k), Bit: k))).ToArray();
            text.AppendLine($"module {name} ({string.Join(", ", pins.Select(p => p.Pin))});");
            foreach (var p in pins) text.AppendLine($"    {(p.Port.Output ? "output" : "input")} {p.Pin};");
            foreach (YosysPort p in m.Ports.Where(p => p.Bits.Count > 1))
            {
                text.AppendLine($"    wire [{p.Bits.Count - 1}:0] {p.Name};");
                for (int k = 0; k < p.Bits.Count; k++)
                {
                    text.AppendLine(p.Output ? $"    assign {p.Name}_{k} = {p.Name}[{k}];" : $"    assign {p.Name}[{k}] = {p.Name}_{k};");
                }
            }

            text.AppendLine($"    {name}_array u_array ({string.Join(", ", m.Ports.Select(p => $".{p.Name}({p.Name})"))});");
            text.AppendLine("    integer reads = 0, writes = 0;");
            string read = m.ReadEnables.Count == 0 ? "1'b1" : string.Join(" || ", m.ReadEnables);
            text.AppendLine($"    always @(posedge {m.Clock}) begin");
            text.AppendLine($"        if ({read}) reads = reads + 1;");
            if (m.WriteEnable is not null) text.AppendLine($"        if ({m.WriteEnable}) writes = writes + 1;");
            text.AppendLine("    end");
            text.AppendLine("    final $display(\"potnet-macro %m %0d %0d\", reads, writes);");
            text.AppendLine("endmodule");
        }

        return text.ToString();
    }

    /// <summary>Streams the images in (inputs change on the falling edge) and writes every output beat, one per line.</summary>
    private static string Testbench(string top, int inputSize, int images, int outputs) => $$"""
        `timescale 1ns/1ps
        /* verilator coverage_off */
        module {{Bench}};
            reg clk = 1'b0;
            reg rst = 1'b1;
            reg [7:0] s_tdata = 8'd0;
            reg s_tvalid = 1'b0;
            reg s_tlast = 1'b0;
            wire s_tready;
            wire [31:0] m_tdata;
            wire m_tvalid, m_tlast, frame_error;
            {{top}} dut (
                .clk(clk), .rst(rst),
                .s_axis_tdata(s_tdata), .s_axis_tvalid(s_tvalid), .s_axis_tready(s_tready), .s_axis_tlast(s_tlast),
                .m_axis_tdata(m_tdata), .m_axis_tvalid(m_tvalid), .m_axis_tready(1'b1), .m_axis_tlast(m_tlast),
                .frame_error(frame_error));
            always #5 clk = ~clk;
            reg [7:0] images [0:{{inputSize * images - 1}}];
            integer fout, sent, received, beats, idle;
            reg pending;
            initial begin
                $readmemh("images.hex", images);
                fout = $fopen("outputs.txt", "w");
                sent = 0; received = 0; beats = 0; idle = 0; pending = 1'b0;
                repeat (3) @(negedge clk);
                rst = 1'b0;
            end
            always @(negedge clk) begin
                if (!rst) begin
                    // The beat offered at the last falling edge was taken at the rising edge since.
                    if (pending) begin
                        sent = sent + 1;
                        s_tvalid = 1'b0;
                    end
                    if (sent < {{inputSize * images}} && !s_tvalid) begin
                        s_tdata = images[sent];
                        s_tlast = (sent % {{inputSize}}) == {{inputSize - 1}};
                        s_tvalid = 1'b1;
                    end
                    pending = s_tvalid && s_tready;
                    idle = idle + 1;
                    if (m_tvalid) begin
                        idle = 0;
                        $fwrite(fout, "%0d\n", $signed(m_tdata));
                        beats = beats + 1;
                        if (m_tlast) received = received + 1;
                        if (received == {{images}}) begin
                            $fclose(fout);
                            $display("potnet-power-tb: done %0d images, %0d beats", received, beats);
                            $finish;
                        end
                    end
                    if (idle > 10000000) begin
                        $display("potnet-power-tb: error: no output for 10000000 cycles");
                        $finish;
                    end
                end
            end
        endmodule
        /* verilator coverage_on */
        """;

    private static ProcessResult Tool(string dir, IReadOnlyList<string> command)
    {
        ProcessResult result = ProcessRunner.Run(dir, command);
        if (result.ExitCode != 0) throw new PotNetException($"gate-level simulation: {command[0]} failed in {dir} (exit {result.ExitCode}): {result.Tail().Replace('\n', ' ')}");
        return result;
    }
}
