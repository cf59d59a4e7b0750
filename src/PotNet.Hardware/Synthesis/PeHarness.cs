using PotNet.Hardware.Generation;
using PotNet.Hardware.Verilog;

namespace PotNet.Hardware.Synthesis;

/// <summary>
/// One processing element of a design on its own, for synthesis: the L lanes of its PE kind (the
/// instances the generator makes, same parameters) feeding <c>potnet_pe</c> (adder tree, accumulator,
/// requantiser). What differs between a BAC, a MAC and an APoT accelerator lives here; the buffers,
/// ROMs and control around it are the same for all three.
/// </summary>
public static class PeHarness
{
    /// <summary>The harness's top module.</summary>
    public const string Top = "pe_top";

    /// <summary>Writes the PE's sources into <paramref name="directory"/> and returns their file names.</summary>
    public static IReadOnlyList<string> Write(Schedule schedule, string directory)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        Directory.CreateDirectory(directory);
        AcceleratorConfig c = schedule.Config;
        string[] library = [.. RtlLibrary.LaneFiles(c.Pe), "potnet_adder_tree.v", "potnet_requant.v", "potnet_pe.v"];
        foreach (string file in library) File.WriteAllText(Path.Combine(directory, file), RtlLibrary.Read(file));
        File.WriteAllText(Path.Combine(directory, "pe_top.v"), Module(schedule).Render());
        return [.. library, "pe_top.v"];
    }

    /// <summary>Writes the PE into <c>workDirectory/pe</c> and synthesises it for <paramref name="target"/> (Yosys's log and statistics in <paramref name="workDirectory"/>).</summary>
    public static ResourceReport Synthesize(Schedule schedule, SynthesisTarget target, string workDirectory)
    {
        string directory = Path.Combine(workDirectory, "pe");
        return YosysSynthesis.Run(Write(schedule, directory), Top, target, workDirectory, directory);
    }

    private static VerilogModule Module(Schedule s)
    {
        AcceleratorConfig c = s.Config;
        int l = c.Lanes, bits = s.Format.Bits, acc = s.AccumulatorWidth;
        var module = new VerilogModule(Top, "One PE (L lanes, adder tree, accumulator, requantiser), for synthesis on its own.")
            .Input("clk").Input("en", l).Input("x", 8 * l).Input("code", bits * l).Input("acc_en").Input("first")
            .Input("bias", acc).Input("shift", 8).Input("cols").Input("lane_en", l).Input("latch").Input("latch_lanes", l).Input("sel", RtlWidths.Resolve(s, "LW"))
            .Output("zero", l).Output("acc", acc).Output("q", 8)
            .Wire("products", l * acc);
        for (int i = 0; i < l; i++)
        {
            module.Add(TopLevelGenerator.LaneInstance(c, s.Format, acc, $"u_lane{i}")
                .Connect("clk", "clk").Connect("en", $"en[{i}]").Connect("x", $"x[{(i * 8) + 7}:{i * 8}]")
                .Connect("code", $"code[{(i * bits) + bits - 1}:{i * bits}]").Connect("zero", $"zero[{i}]")
                .Connect("p", $"products[{(i * acc) + acc - 1}:{i * acc}]"));
        }

        module.Add(TopLevelGenerator.PeInstance(s, "u_pe")
            .Connect("clk", "clk").Connect("acc_en", "acc_en").Connect("first", "first").Connect("products", "products")
            .Connect("bias", "bias").Connect("shift", "shift").Connect("cols", "cols").Connect("lane_en", "lane_en").Connect("latch", "latch").Connect("latch_lanes", "latch_lanes").Connect("sel", "sel")
            .Connect("acc", "acc").Connect("q", "q"));
        return module;
    }
}
