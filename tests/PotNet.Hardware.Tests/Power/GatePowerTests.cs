using PotNet.Hardware.Energy;
using PotNet.Hardware.Generation;
using PotNet.Hardware.Power;
using PotNet.Hardware.Simulation;
using PotNet.Model;
using Xunit.Abstractions;

namespace PotNet.Hardware.Tests.Power;

/// <summary>The whole gate-level flow on a small network's design.</summary>
public sealed class GatePowerTests(ITestOutputHelper output) : IDisposable
{
    private const int Images = 2;

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_small_design_runs_bit_exact_at_gate_level_and_its_memories_see_the_cycle_models_accesses()
    {
        QuantizedModel model = SimulationTests.SmallNetwork(PeKind.Bac);
        var schedule = Schedule.Create(model, new AcceleratorConfig(PeKind.Bac, 2, 2, ZeroGating: true));
        string dir = _temp.Sub("design");
        DesignWriter.Write(schedule, dir);
        GatePowerReport r = GatePower.Measure(Design.Load(dir), CellLibrary.Load(CellLibrary.Osu018), HardwareNetworks.Images(model, Images, seed: 3), _temp.Sub("power"));
        foreach (ComponentPower c in r.Components) output.WriteLine($"{c.Component} {(c.Memory ? "memories" : "logic")}: {c.Cells} cells, {c.Macros} macros, {c.Reads} reads, {c.Writes} writes, {c.DynamicPicojoules:F2} pJ");
        output.WriteLine($"{r.Path.Startpoint} -> {r.Path.Endpoint}: {r.Path.FmaxMegahertz:F1} MHz");

        Assert.True(r.BitExact);
        EventCounts predicted = CycleModel.Predict(schedule);
        ComponentPower Row(string component, bool memory) => Assert.Single(r.Components, c => c.Component == component && c.Memory == memory);
        Assert.Equal(predicted.WeightRomReads * Images, Row(DesignEvents.WeightRom, memory: true).Reads);
        Assert.Equal(predicted.ActReads * Images, Row(DesignEvents.ActivationBuffers, memory: true).Reads);
        Assert.Equal(predicted.ActWrites * Images, Row(DesignEvents.ActivationBuffers, memory: true).Writes);
        Assert.Equal((predicted.TapRomReads + predicted.ParamRomReads) * Images, Row(DesignEvents.Control, memory: true).Reads);
        foreach (string logic in new[] { DesignEvents.PeArithmetic, DesignEvents.Accumulators, DesignEvents.Control })
        {
            Assert.True(Row(logic, memory: false).Cells > 0);
            Assert.True(Row(logic, memory: false).DynamicPicojoules > 0);
        }

        Assert.InRange(r.CyclesPerInference, predicted.Cycles, predicted.Cycles * 1.5);
        Assert.InRange(r.Path.FmaxMegahertz, 10, 2000);
        Assert.True(r.LeakageWatts > 0);
    }

    [Fact]
    public void Timing_alone_names_the_critical_paths_ends_by_their_place_in_the_design_and_agrees_with_the_cells_it_maps()
    {
        QuantizedModel model = SimulationTests.SmallNetwork(PeKind.Mac);
        string dir = _temp.Sub("timed");
        DesignWriter.Write(Schedule.Create(model, new AcceleratorConfig(PeKind.Mac, 2, 2, ZeroGating: true)), dir);
        var library = CellLibrary.Load(CellLibrary.Osu018);
        GateTimingReport t = GateTiming.Measure(Design.Load(dir), library, _temp.Sub("timing"));
        output.WriteLine($"{t.Cells} cells, {t.Area:F0} um2; {t.Path.Startpoint} -> {t.Path.Endpoint}: {t.Path.FmaxMegahertz:F1} MHz");

        // The netlist's own ids (i123) are replaced by hierarchical names inside the core.
        Assert.Contains(".", t.Path.Startpoint, StringComparison.Ordinal);
        Assert.Contains(".", t.Path.Endpoint, StringComparison.Ordinal);
        Assert.DoesNotMatch("^i[0-9]+$", t.Path.Startpoint);
        Assert.InRange(t.Path.FmaxMegahertz, 10, 2000);
        Assert.True(t.Cells > 100);
        Assert.True(t.Area > t.Cells * library.Cells.Values.Min(c => c.Area));
    }
}
