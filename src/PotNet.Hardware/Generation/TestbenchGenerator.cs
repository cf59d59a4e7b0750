using PotNet.Hardware.Verilog;

namespace PotNet.Hardware.Generation;

/// <summary>Generates <c>tb</c>: the hand-written testbench with this design's sizes.</summary>
internal static class TestbenchGenerator
{
    public const string ModuleName = "tb";

    public static VerilogModule Create(Schedule s, EventCounts perInference)
    {
        var module = new VerilogModule(ModuleName, "The simulation top: potnet_tb with this design's sizes. Plusargs: see rtl/potnet_tb.v.");
        module.Add(new VerilogInstance("potnet_tb", "bench")
            .Parameter("IN_SIZE", s.InputSize)
            .Parameter("N_OUT", s.Outputs)
            .Parameter("TIMEOUT", (4 * perInference.Cycles) + 1000));
        return module;
    }
}
