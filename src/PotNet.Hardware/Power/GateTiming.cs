using PotNet.Hardware.Simulation;

namespace PotNet.Hardware.Power;

/// <summary>A design's timing at gate level: its cells and area, and OpenSTA's critical path with its ends named by the RTL hierarchy.</summary>
/// <param name="Library">The cell library's name.</param>
/// <param name="Cells">Library cells (memory macros not counted).</param>
/// <param name="Area">Their area, square micrometres.</param>
/// <param name="Path">The critical path and Fmax (typical corner, memories timed as ideal registers), its ends named by their place in the design.</param>
/// <param name="Seconds">Wall time: Yosys's mapping to cells and OpenSTA.</param>
public sealed record GateTimingReport(string Library, long Cells, double Area, CriticalPath Path, double Seconds);

/// <summary>
/// The timing half of <see cref="GatePower"/>, without the netlist simulation (the expensive part):
/// <see cref="GateSynthesis"/> maps the logic to the library, <see cref="OpenSta"/> finds the
/// critical path. Cheap enough to run for every design of an experiment.
/// </summary>
public static class GateTiming
{
    /// <summary>Maps <paramref name="design"/> to <paramref name="library"/> and times it, working in <paramref name="workDirectory"/>.</summary>
    public static GateTimingReport Measure(Design design, CellLibrary library, string workDirectory)
    {
        ArgumentNullException.ThrowIfNull(design);
        ArgumentNullException.ThrowIfNull(library);
        (GateDesign gates, StaResult sta, CriticalPath path) = Analyse(design, library, workDirectory);
        GateInstance[] cells = [.. gates.Netlist.Instances.Where(i => i.Macro is null)];
        return new GateTimingReport(library.Name, cells.Length, cells.Sum(i => library.Cell(i.Type, i.Path).Area), path, gates.Seconds + sta.Seconds);
    }

    /// <summary>The netlist of library cells and macros, OpenSTA's analysis of it, and its critical path (which a design must have).</summary>
    internal static (GateDesign Gates, StaResult Sta, CriticalPath Path) Analyse(Design design, CellLibrary library, string workDirectory)
    {
        string work = Path.GetFullPath(workDirectory);
        GateDesign gates = GateSynthesis.Run(design.Manifest.Sources, Generation.TopLevelGenerator.ModuleName, library, design.Directory, work);
        StaResult sta = OpenSta.Run(gates.Netlist, library, Path.Combine(work, "sta"));
        return (gates, sta, sta.Path ?? throw new PotNetException($"{design.Directory}: OpenSTA found no register-to-register path clocked by clk"));
    }
}
