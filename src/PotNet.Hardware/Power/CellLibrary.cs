using System.Globalization;

namespace PotNet.Hardware.Power;

/// <summary>A pin of a library cell.</summary>
/// <param name="Name">The pin's name.</param>
/// <param name="Output">Whether it is an output.</param>
/// <param name="Function">For an output, its Boolean function in Liberty syntax; null for inputs.</param>
/// <param name="Clock">Whether it is a clock input.</param>
public sealed record CellPin(string Name, bool Output, string? Function, bool Clock);

/// <summary>A flip-flop's state: <c>ff (State, StateBar) { next_state; clocked_on; clear; preset }</c>.</summary>
/// <param name="State">The state variable outputs refer to.</param>
/// <param name="Inverted">The inverted state variable.</param>
/// <param name="NextState">The next state's function.</param>
/// <param name="ClockedOn">The clock's function (its rising edge clocks).</param>
/// <param name="Clear">Asynchronous clear, or null.</param>
/// <param name="Preset">Asynchronous preset, or null.</param>
public sealed record FlipFlop(string State, string Inverted, string NextState, string ClockedOn, string? Clear, string? Preset);

/// <summary>A standard cell: area, leakage, pins, and its state if it is a flip-flop.</summary>
/// <param name="Name">The cell's name.</param>
/// <param name="Area">Area in the library's unit (square micrometres for OSU018).</param>
/// <param name="LeakageWatts">Leakage power.</param>
/// <param name="Pins">Pins in the library's order.</param>
/// <param name="State">The flip-flop, or null for a combinational cell.</param>
/// <param name="Unsupported">Why PotNet cannot model the cell (a latch, a tri-state buffer), or null.</param>
public sealed record LibraryCell(string Name, double Area, double LeakageWatts, IReadOnlyList<CellPin> Pins, FlipFlop? State, string? Unsupported)
{
    /// <summary>The output pins.</summary>
    public IEnumerable<CellPin> Outputs => Pins.Where(p => p.Output);
}

/// <summary>
/// The standard cells of a Liberty library: what synthesis maps to, what the gate-level simulation
/// models and what OpenSTA prices. PotNet uses the OSU 0.18 um library of Debian's
/// <c>qflow-tech-osu018</c> package (<see cref="Osu018"/>).
/// </summary>
public sealed class CellLibrary
{
    /// <summary>Where Debian's <c>qflow-tech-osu018</c> installs the OSU 0.18 um Liberty file.</summary>
    public const string Osu018 = "/usr/share/qflow/tech/osu018/osu018_stdcells.lib";

    private CellLibrary(string path, string name, double voltage, IReadOnlyDictionary<string, LibraryCell> cells)
    {
        Path = path;
        Name = name;
        Voltage = voltage;
        Cells = cells;
    }

    /// <summary>The Liberty file.</summary>
    public string Path { get; }

    /// <summary>The library's name.</summary>
    public string Name { get; }

    /// <summary>Nominal supply voltage.</summary>
    public double Voltage { get; }

    /// <summary>Cells by name.</summary>
    public IReadOnlyDictionary<string, LibraryCell> Cells { get; }

    /// <summary>Reads a Liberty file.</summary>
    public static CellLibrary Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path))
        {
            throw new PotNetException(path == Osu018
                ? $"{path}: not found; install the OSU 0.18 um cells (Debian: apt-get install qflow-tech-osu018)"
                : $"{path}: no such Liberty file");
        }

        LibertyGroup library = LibertyGroup.Parse(File.ReadAllText(path), path);
        double leakageUnit = Unit(library.Attribute("leakage_power_unit") ?? "1nW", path);
        var cells = new Dictionary<string, LibraryCell>(StringComparer.Ordinal);
        foreach (LibertyGroup cell in library.Children("cell"))
        {
            CellPin[] pins = [.. cell.Children("pin").Select(p => new CellPin(
                p.Name, p.Attribute("direction") == "output", p.Attribute("function"), p.Attribute("clock") == "true"))];
            FlipFlop? state = cell.Children("ff").Select(f => new FlipFlop(
                f.Name, f.Arguments.Count > 1 ? f.Arguments[1] : "", f.Attribute("next_state") ?? "", f.Attribute("clocked_on") ?? "",
                f.Attribute("clear"), f.Attribute("preset"))).FirstOrDefault();
            string? unsupported = cell.Children("latch").Any() ? "a latch"
                : cell.Children("pin").Any(p => p.Attribute("three_state") is not null) ? "a tri-state buffer" : null;
            cells[cell.Name] = new LibraryCell(cell.Name, Number(cell, "area", path), Number(cell, "cell_leakage_power", path) * leakageUnit, pins, state, unsupported);
        }

        return new CellLibrary(path, library.Name, double.Parse(library.Attribute("nom_voltage") ?? "0", CultureInfo.InvariantCulture), cells);
    }

    /// <summary>The cell <paramref name="name"/>; a name the library lacks is an error naming the netlist.</summary>
    public LibraryCell Cell(string name, string where) =>
        Cells.TryGetValue(name, out LibraryCell? cell) ? cell : throw new PotNetException($"{where}: cell {name} is not in {Path}");

    private static double Number(LibertyGroup g, string attribute, string path) =>
        double.TryParse(g.Attribute(attribute) ?? "0", NumberStyles.Float, CultureInfo.InvariantCulture, out double v)
            ? v
            : throw new PotNetException($"{path}: cell {g.Name}: {attribute} '{g.Attribute(attribute)}' is not a number");

    private static double Unit(string unit, string path) => unit switch
    {
        "1nW" => 1e-9,
        "1uW" => 1e-6,
        "1pW" => 1e-12,
        "1mW" => 1e-3,
        _ => throw new PotNetException($"{path}: leakage_power_unit '{unit}' is not one PotNet reads (1mW, 1uW, 1nW, 1pW)"),
    };
}
