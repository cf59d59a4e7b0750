using PotNet.Engines;
using PotNet.Hardware.Simulation;

namespace PotNet.Hardware.Power;

/// <summary>One component's share of a gate-level power run, per inference.</summary>
/// <param name="Component">The component (<see cref="PowerComponents"/>).</param>
/// <param name="Memory">Whether the row is the component's memory macros (modelled) or its cells (tool-computed).</param>
/// <param name="Cells">Library cells in it (macros not counted).</param>
/// <param name="Area">Their area, square micrometres.</param>
/// <param name="Macros">Memory macros in it.</param>
/// <param name="Reads">Memory reads over the whole run (simulated).</param>
/// <param name="Writes">Memory writes over the whole run (simulated).</param>
/// <param name="DynamicPicojoules">Dynamic energy per inference.</param>
/// <param name="LeakageWatts">Leakage power.</param>
/// <param name="Source">tool-computed (OpenSTA x simulated activity) or modelled (memories).</param>
public sealed record ComponentPower(string Component, bool Memory, long Cells, double Area, int Macros, long Reads, long Writes, double DynamicPicojoules, double LeakageWatts, string Source);

/// <summary>Gate-level power and timing of a design.</summary>
/// <param name="Library">The cell library's name.</param>
/// <param name="Images">Images simulated.</param>
/// <param name="BitExact">Whether the netlist's logits and classes equal the ReferenceEngine's on every image.</param>
/// <param name="CyclesPerInference">Simulated cycles over images (reset and drain included).</param>
/// <param name="Components">Per component.</param>
/// <param name="Path">The critical path and Fmax (OpenSTA, typical corner).</param>
/// <param name="Seconds">Wall time: synthesis, simulation build, simulation, OpenSTA.</param>
public sealed record GatePowerReport(string Library, int Images, bool BitExact, double CyclesPerInference, IReadOnlyList<ComponentPower> Components, CriticalPath Path, IReadOnlyDictionary<string, double> Seconds)
{
    /// <summary>Dynamic energy per inference, all components.</summary>
    public double DynamicPicojoules => Components.Sum(c => c.DynamicPicojoules);

    /// <summary>Leakage power, all components.</summary>
    public double LeakageWatts => Components.Sum(c => c.LeakageWatts);

    /// <summary>Latency at Fmax.</summary>
    public double LatencySeconds => CyclesPerInference * Path.PeriodNanoseconds * 1e-9;

    /// <summary>Leakage over the latency at Fmax, picojoules.</summary>
    public double StaticPicojoules => LeakageWatts * LatencySeconds * 1e12;

    /// <summary>Dynamic plus static energy per inference at Fmax.</summary>
    public double TotalPicojoules => DynamicPicojoules + StaticPicojoules;

    /// <summary>Library cells.</summary>
    public long Cells => Components.Sum(c => c.Cells);

    /// <summary>Their area, square micrometres.</summary>
    public double Area => Components.Sum(c => c.Area);
}

/// <summary>
/// Gate-level power of a generated design: <see cref="GateSynthesis"/> maps its logic to the cell
/// library (memories as macros); <see cref="GateSimulation"/> runs the netlist on images and counts
/// every net's transitions; <see cref="OpenSta"/> gives each instance's power at activity 0 and 1.
/// An instance's energy is then its idle power x the run's time (flip-flops' clock pins, every
/// cycle) plus (active - idle power) x one cycle per transition of its outputs (a cell with two
/// outputs, the mean of the two; a flip-flop's D-pin energy goes with its Q's transitions). Leakage is
/// OpenSTA's. Memories are priced by <see cref="MemoryEnergy"/>, a model.
/// </summary>
public static class GatePower
{
    /// <summary>Measures <paramref name="design"/> on <paramref name="images"/> in <paramref name="workDirectory"/>.</summary>
    public static GatePowerReport Measure(Design design, CellLibrary library, IReadOnlyList<ReadOnlyMemory<byte>> images, string workDirectory, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(images);
        string work = Path.GetFullPath(workDirectory);
        progress?.Invoke($"mapping to {library.Name} cells with Yosys; OpenSTA: power per instance and timing");
        (GateDesign gates, StaResult sta, CriticalPath path) = GateTiming.Analyse(design, library, work);
        progress?.Invoke($"{gates.Netlist.Instances.Count} instances; simulating {images.Count} images with Verilator");
        GateActivity activity = GateSimulation.Run(gates.Netlist, library, gates.MacroModels, images, design.Manifest.Outputs, Path.Combine(work, "sim"));

        var engine = new ReferenceEngine(design.Schedule.Model);
        bool exact = activity.Outputs.Count == images.Count && images.Select((image, i) =>
        {
            int[] logits = engine.Infer(image.Span);
            return activity.Outputs[i].SequenceEqual([.. logits, ReferenceEngine.ArgMax(logits)]);
        }).All(ok => ok);

        IReadOnlyList<ComponentPower> components = Price(gates.Netlist, library, activity, sta, images.Count);
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["synthesis"] = gates.Seconds, ["simulation_build"] = activity.BuildSeconds, ["simulation"] = activity.RunSeconds, ["opensta"] = sta.Seconds,
        };
        return new GatePowerReport(library.Name, images.Count, exact, (double)activity.Cycles / images.Count, components, path, seconds);
    }

    /// <summary>Per-component energy per inference from the run's activity and OpenSTA's per-instance power.</summary>
    public static IReadOnlyList<ComponentPower> Price(GateNetlist netlist, CellLibrary library, GateActivity activity, StaResult sta, int images)
    {
        ArgumentNullException.ThrowIfNull(netlist);
        ArgumentNullException.ThrowIfNull(activity);
        ArgumentNullException.ThrowIfNull(sta);
        double period = sta.PeriodNanoseconds * 1e-9;
        var rows = PowerComponents.All.SelectMany(c => new[] { (c, false), (c, true) }).ToDictionary(k => k, _ => (Cells: 0L, Area: 0.0, Macros: 0, Reads: 0L, Writes: 0L, Joules: 0.0, Leakage: 0.0));
        foreach (GateInstance i in netlist.Instances)
        {
            var key = (PowerComponents.Of(i), i.Macro is not null);
            var row = rows[key];
            if (i.Macro is MemoryMacro m)
            {
                double access = MemoryEnergy.AccessPicojoules(m.Bytes, m.Width) * 1e-12;
                row.Reads += activity.Reads.GetValueOrDefault(i.Id);
                row.Writes += activity.Writes.GetValueOrDefault(i.Id);
                row.Joules += (activity.Reads.GetValueOrDefault(i.Id) + activity.Writes.GetValueOrDefault(i.Id)) * access;
                row.Leakage += MemoryEnergy.LeakageWatts(m.Bits, library);
                row.Macros++;
            }
            else
            {
                LibraryCell cell = library.Cell(i.Type, i.Path);
                InstancePower idle = sta.Idle.GetValueOrDefault(i.Id), active = sta.Active.GetValueOrDefault(i.Id);
                int[] outputs = [.. GateNetlist.OutputNets(i, library)];
                double transitions = outputs.Sum(n => (double)activity.Toggles.GetValueOrDefault(n)) / Math.Max(1, outputs.Length);
                row.Joules += (idle.Dynamic * activity.Cycles + (active.Dynamic - idle.Dynamic) * transitions) * period;
                row.Leakage += active.Leakage;
                row.Cells++;
                row.Area += cell.Area;
            }

            rows[key] = row;
        }

        return [.. rows.Where(r => r.Value.Cells + r.Value.Macros > 0).Select(r => new ComponentPower(
            r.Key.Item1, r.Key.Item2, r.Value.Cells, r.Value.Area, r.Value.Macros, r.Value.Reads, r.Value.Writes, r.Value.Joules / images * 1e12, r.Value.Leakage,
            r.Key.Item2 ? MemoryEnergy.Source : "tool-computed: OpenSTA report_power -instances x Verilator toggle counts"))];
    }
}
