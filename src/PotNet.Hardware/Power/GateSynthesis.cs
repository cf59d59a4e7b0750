using PotNet.Hardware.Simulation;

namespace PotNet.Hardware.Power;

/// <summary>What <see cref="GateSynthesis"/> produced.</summary>
/// <param name="Netlist">The flat netlist of library cells and macros.</param>
/// <param name="MacroModels">Verilog of the macros' arrays as Yosys read them (for simulation), module names as <see cref="GateNetlist.MacroName"/> plus <c>_array</c>.</param>
/// <param name="Seconds">Wall time of the two Yosys runs.</param>
public sealed record GateDesign(GateNetlist Netlist, string MacroModels, double Seconds);

/// <summary>
/// Maps a design's logic to a cell library with Yosys (<c>synth</c>, <c>dfflibmap -liberty</c>,
/// <c>abc -liberty</c>), keeping its memories as black-box macros. A first run finds the memories
/// (<see cref="MemoryMacro.Find"/>); the second writes their arrays out for simulation, makes them
/// black boxes and maps the rest. Synthesis is hierarchical, so PotNet's flattening keeps each cell's modules.
/// </summary>
public static class GateSynthesis
{
    /// <summary>Synthesises <paramref name="sources"/> (relative to <paramref name="sourceDirectory"/>) with top <paramref name="top"/> into <paramref name="workDirectory"/>.</summary>
    public static GateDesign Run(IReadOnlyList<string> sources, string top, CellLibrary library, string sourceDirectory, string workDirectory)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(library);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string work = Path.GetFullPath(workDirectory);
        Directory.CreateDirectory(work);
        // -defer: a parameterised module (a ROM with a default $readmemh file) is elaborated only as instantiated.
        string read = string.Join("; ", sources.Select(s => $"read_verilog -defer -DSYNTHESIS \"{s}\""));
        // The library's cells as black boxes: a design may instantiate them by hand (the tests' check circuit does).
        string elaborate = $"read_liberty -lib {library.Path}; {read}; hierarchy -top {top}; proc; opt_clean; memory -nomap";
        string found = Path.Combine(work, "memories.json");
        Yosys(sourceDirectory, Path.Combine(work, "find-memories.log"), $"{elaborate}; write_json {found}", top);
        IReadOnlyList<MemoryMacro> macros = MemoryMacro.Find(YosysJson.Read(found));

        string arrays = Path.Combine(work, "arrays.v"), mapped = Path.Combine(work, "mapped.json");
        string names = string.Join(' ', macros.Select(m => m.Module));
        string keep = macros.Count == 0 ? "" : $"select {names}; write_verilog -noattr -selected {arrays}; select -clear; blackbox {names}; ";
        Yosys(sourceDirectory, Path.Combine(work, "synthesis.log"),
            $"{elaborate}; {keep}synth -top {top}; dfflibmap -liberty {library.Path}; abc -liberty {library.Path}; opt_clean; write_json {mapped}", top);
        GateNetlist netlist = GateNetlist.Flatten(YosysJson.Read(mapped), top, library, macros);
        string models = macros.Count == 0 ? "" : File.ReadAllText(arrays);
        foreach (MemoryMacro m in macros) models = models.Replace($"\\{m.Module} ", $"{netlist.MacroName(m)}_array ", StringComparison.Ordinal);
        return new GateDesign(netlist, models, clock.Elapsed.TotalSeconds);
    }

    private static void Yosys(string directory, string log, string script, string top)
    {
        ProcessResult result = ProcessRunner.Run(Path.GetFullPath(directory), ["yosys", "-q", "-l", log, "-p", script]);
        if (result.ExitCode != 0)
        {
            string tail = string.Join(" | ", (File.Exists(log) ? File.ReadAllLines(log) : result.Error.Split('\n')).Where(l => l.Trim().Length > 0).TakeLast(3));
            throw new PotNetException($"{top}: Yosys mapping to cells failed (exit {result.ExitCode}): {tail}");
        }
    }
}
