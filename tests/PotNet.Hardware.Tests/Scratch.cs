using PotNet.Formats;
using PotNet.Hardware.Generation;
using PotNet.Hardware.Simulation;
using Xunit.Abstractions;

namespace PotNet.Hardware.Tests;

public class Scratch(ITestOutputHelper output)
{
    [Fact]
    public void Write()
    {
        var model = HardwareNetworks.Create(1, WeightFormat.Pot(4));
        var s = Schedule.Create(model, new AcceleratorConfig(PeKind.Bac, 2, 3, true));
        DesignWriter.Write(s, "/tmp/hwscratch");
        var design = Design.Load("/tmp/hwscratch");
        var v = Verifier.Run(design, HardwareNetworks.Images(model, 20, 5), Simulator.Icarus);
        output.WriteLine($"mismatches {v.Mismatches.Count} lint '{v.LintWarnings}' cyclesPred {v.PredictedCycles} cycleMismatch {v.CycleMismatches} build {v.BuildTime} sim {v.SimulationTime}");
        foreach (var m in v.Mismatches.Take(10)) output.WriteLine(m.ToString());
        output.WriteLine(v.Predicted.ToString());
        output.WriteLine(v.Measured.ToString());
    }
}
