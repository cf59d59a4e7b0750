using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using PotNet.Hardware.Simulation;

namespace PotNet.Hardware.Power;

/// <summary>OpenSTA's power of one instance, in watts.</summary>
/// <param name="Internal">Internal power.</param>
/// <param name="Switching">Power charging the instance's output nets.</param>
/// <param name="Leakage">Leakage.</param>
public readonly record struct InstancePower(double Internal, double Switching, double Leakage)
{
    /// <summary>Internal plus switching power.</summary>
    public double Dynamic => Internal + Switching;
}

/// <summary>The critical path OpenSTA reports.</summary>
/// <param name="Startpoint">Where it starts: an instance by its place in the design (<see cref="GateNetlist.PlaceOf"/>), or a port.</param>
/// <param name="Endpoint">Where it ends, likewise.</param>
/// <param name="PeriodNanoseconds">The shortest clock period it meets: the analysed period minus its slack.</param>
public sealed record CriticalPath(string Startpoint, string Endpoint, double PeriodNanoseconds)
{
    /// <summary>The design's highest clock frequency.</summary>
    public double FmaxMegahertz => 1000 / PeriodNanoseconds;
}

/// <summary>What OpenSTA computed for a netlist.</summary>
/// <param name="Idle">Per instance, power at zero activity on every net but the clock (flip-flops' clock pins), at <paramref name="PeriodNanoseconds"/>.</param>
/// <param name="Active">Per instance, power with every net toggling once per cycle (activity 1, duty 0.5).</param>
/// <param name="Path">The critical path, or null when the netlist has no register-to-register path.</param>
/// <param name="PeriodNanoseconds">The clock period the power was computed at.</param>
/// <param name="Seconds">OpenSTA's wall time.</param>
public sealed record StaResult(IReadOnlyDictionary<string, InstancePower> Idle, IReadOnlyDictionary<string, InstancePower> Active, CriticalPath? Path, double PeriodNanoseconds, double Seconds);

/// <summary>
/// Runs OpenSTA (Debian's <c>opensta</c>, 2019) on the flat netlist: <c>report_power -instances</c>
/// at two global activities (0 and 1 transitions per cycle), from which each instance's energy per
/// clock cycle and per output transition follow, and <c>report_checks</c> for the critical path. The
/// macros get a Liberty cell each with ideal timing (clock to output and setup 0 ns, inputs 0.01 pF):
/// paths through memories count their logic only. Inputs and outputs of the top are unconstrained.
/// </summary>
public static partial class OpenSta
{
    /// <summary>The clock period power is computed at; energies per cycle do not depend on it.</summary>
    public const double PeriodNanoseconds = 10;

    /// <summary>Analyses the netlist written to <paramref name="workDirectory"/>.</summary>
    public static StaResult Run(GateNetlist netlist, CellLibrary library, string workDirectory, string clock = "clk")
    {
        ArgumentNullException.ThrowIfNull(netlist);
        ArgumentNullException.ThrowIfNull(library);
        string dir = Path.GetFullPath(workDirectory);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "sta-netlist.v"), netlist.Verilog());
        string macros = netlist.Macros.Count > 0 ? "read_liberty macros.lib\n" : "";
        if (netlist.Macros.Count > 0) File.WriteAllText(Path.Combine(dir, "macros.lib"), MacroLibrary(netlist));
        string script = $"""
            read_liberty {library.Path}
            {macros}read_verilog sta-netlist.v
            link_design {netlist.Top}
            create_clock -name {clock} -period {PeriodNanoseconds.ToString(CultureInfo.InvariantCulture)} [get_ports {clock}]
            set_power_activity -global -activity 0 -duty 0.5
            report_power -instances [get_cells *] > power-idle.txt
            set_power_activity -global -activity 1 -duty 0.5
            report_power -instances [get_cells *] > power-active.txt
            report_checks -path_delay max -digits 4 > timing.txt
            exit
            """;
        File.WriteAllText(Path.Combine(dir, "sta.tcl"), script);
        ProcessResult result = ProcessRunner.Run(dir, ["sta", "-no_splash", "-exit", "sta.tcl"]);
        File.WriteAllText(Path.Combine(dir, "sta.log"), result.Output + result.Error);
        if (result.ExitCode != 0 || result.Output.Contains("Error:", StringComparison.Ordinal) || !File.Exists(Path.Combine(dir, "timing.txt")))
        {
            throw new PotNetException($"OpenSTA failed in {dir} (exit {result.ExitCode}): {result.Tail(4).Replace('\n', ' ')}");
        }

        return new StaResult(
            Instances(Path.Combine(dir, "power-idle.txt")), Instances(Path.Combine(dir, "power-active.txt")),
            ReadPath(Path.Combine(dir, "timing.txt")) is CriticalPath path ? path with { Startpoint = netlist.PlaceOf(path.Startpoint), Endpoint = netlist.PlaceOf(path.Endpoint) } : null,
            PeriodNanoseconds, result.Elapsed.TotalSeconds);
    }

    /// <summary>Per-instance rows of <c>report_power -instances</c>: internal, switching, leakage, total, name.</summary>
    internal static Dictionary<string, InstancePower> Instances(string path)
    {
        var rows = new Dictionary<string, InstancePower>(StringComparer.Ordinal);
        foreach (string line in File.ReadLines(path))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length != 5 || !double.TryParse(f[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double internalPower)) continue;
            rows[f[4]] = new InstancePower(internalPower, Number(f[1], path), Number(f[2], path));
        }

        if (rows.Count == 0) throw new PotNetException($"{path}: no instance rows in OpenSTA's power report");
        return rows;
    }

    /// <summary>The start, end and slack of <c>report_checks</c>' path; null if it found none.</summary>
    internal static CriticalPath? ReadPath(string path)
    {
        string text = File.ReadAllText(path);
        Match start = Startpoint().Match(text), end = Endpoint().Match(text), slack = Slack().Match(text);
        if (!start.Success || !end.Success || !slack.Success) return null;
        double period = PeriodNanoseconds - Number(slack.Groups[1].Value, path);
        return new CriticalPath(start.Groups[1].Value.Trim(), end.Groups[1].Value.Trim(), period);
    }

    /// <summary>A Liberty library with one cell per macro, pins bit by bit, timed as an ideal register.</summary>
    internal static string MacroLibrary(GateNetlist netlist)
    {
        var text = new StringBuilder();
        text.AppendLine("/* The memory macros of a PotNet design, timed as ideal registers (written by PotNet). */");
        text.AppendLine("library (potnet_macros) {");
        text.AppendLine("  delay_model : table_lookup; time_unit : \"1ns\"; voltage_unit : \"1V\"; current_unit : \"1uA\";");
        text.AppendLine("  leakage_power_unit : \"1nW\"; capacitive_load_unit (1, pf); pulling_resistance_unit : \"1kohm\";");
        text.AppendLine("  nom_process : 1; nom_voltage : 1.8; nom_temperature : 25;");
        foreach (MemoryMacro m in netlist.Macros)
        {
            text.AppendLine($"  cell ({netlist.MacroName(m)}) {{");
            text.AppendLine("    area : 0;");
            foreach (YosysPort p in m.Ports)
            {
                for (int k = 0; k < p.Bits.Count; k++)
                {
                    string pin = GateNetlist.MacroPin(p, k);
                    if (p.Name == m.Clock) text.AppendLine($"    pin ({pin}) {{ direction : input; clock : true; capacitance : 0.01; }}");
                    else if (!p.Output) text.AppendLine($"    pin ({pin}) {{ direction : input; capacitance : 0.01; timing () {{ related_pin : \"{m.Clock}\"; timing_type : setup_rising; rise_constraint (scalar) {{ values (\"0\"); }} fall_constraint (scalar) {{ values (\"0\"); }} }} }}");
                    else text.AppendLine($"    pin ({pin}) {{ direction : output; timing () {{ related_pin : \"{m.Clock}\"; timing_type : rising_edge; cell_rise (scalar) {{ values (\"0\"); }} cell_fall (scalar) {{ values (\"0\"); }} rise_transition (scalar) {{ values (\"0.1\"); }} fall_transition (scalar) {{ values (\"0.1\"); }} }} }}");
                }
            }

            text.AppendLine("  }");
        }

        text.AppendLine("}");
        return text.ToString();
    }

    private static double Number(string s, string path) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : throw new PotNetException($"{path}: '{s}' is not a number");

    [GeneratedRegex(@"^Startpoint:\s*(\S+)", RegexOptions.Multiline)]
    private static partial Regex Startpoint();

    [GeneratedRegex(@"^Endpoint:\s*(\S+)", RegexOptions.Multiline)]
    private static partial Regex Endpoint();

    [GeneratedRegex(@"^\s*(-?[0-9.]+)\s+slack", RegexOptions.Multiline)]
    private static partial Regex Slack();
}
