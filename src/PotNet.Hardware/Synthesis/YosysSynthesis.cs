using System.Diagnostics;

namespace PotNet.Hardware.Synthesis;

/// <summary>What Yosys synthesises a design for.</summary>
public enum SynthesisTarget
{
    /// <summary><c>synth_xilinx -family xcup</c>: Zynq UltraScale+ (the ZCU104's family), multipliers to DSP48E2.</summary>
    UltraScalePlus,

    /// <summary>The same without DSP slices (<c>-nodsp</c>): multipliers in LUTs and carry chains.</summary>
    UltraScalePlusNoDsp,

    /// <summary>Generic gates (<c>synth; abc -g</c> AND/NAND/OR/NOR/XOR/XNOR/MUX) with a CMOS transistor estimate.</summary>
    GenericGates,
}

/// <summary>
/// Runs Yosys (Debian's yosys package, 0.23 or later) on Verilog sources and reads its statistics.
/// Yosys estimates are not Vivado's: labelled so wherever they are reported.
/// </summary>
public static class YosysSynthesis
{
    /// <summary>The Yosys script for <paramref name="target"/>, reading <paramref name="sources"/> with top module <paramref name="top"/>.</summary>
    public static string Script(IEnumerable<string> sources, string top, SynthesisTarget target, string statFile, string? netlist = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        // -defer: a parameterised module (a ROM with a default $readmemh file) is elaborated only as instantiated.
        string read = string.Join("; ", sources.Select(s => $"read_verilog -defer -DSYNTHESIS \"{s}\""));
        string synth = target switch
        {
            SynthesisTarget.UltraScalePlus => $"synth_xilinx -family xcup -top {top}",
            SynthesisTarget.UltraScalePlusNoDsp => $"synth_xilinx -family xcup -nodsp -top {top}",
            SynthesisTarget.GenericGates => $"synth -top {top}; abc -g AND,NAND,OR,NOR,XOR,XNOR,MUX; opt_clean",
        };
        string stat = target == SynthesisTarget.GenericGates ? "stat -json -tech cmos" : "stat -json";
        // tee takes the file name unquoted (a quoted one is refused), so work directories must not contain spaces.
        // flatten first: Yosys 0.23 writes parameterised module names ($paramod...) unquoted into
        // stat -json's module list, which is then not valid JSON; one flat module avoids it.
        string write = netlist is null ? "" : $"; write_verilog -noattr {netlist}";
        return $"{read}; {synth}; flatten; tee -q -o {statFile} {stat}{write}";
    }

    /// <summary>
    /// Synthesises and returns the resource counts; a failure names the design and quotes Yosys's last
    /// lines. Yosys runs in <paramref name="sourceDirectory"/> (default: the current one), which relative
    /// source paths and <c>$readmemh</c> files are read from; its log and statistics go to <paramref name="workDirectory"/>.
    /// </summary>
    /// <param name="sources">Verilog files.</param>
    /// <param name="top">The top module.</param>
    /// <param name="target">What to synthesise for.</param>
    /// <param name="workDirectory">Where Yosys's log and statistics go.</param>
    /// <param name="sourceDirectory">Where Yosys runs (default: the current directory).</param>
    /// <param name="netlist">If given, the synthesised netlist is written to this Verilog file too (relative to <paramref name="sourceDirectory"/>).</param>
    public static ResourceReport Run(IReadOnlyList<string> sources, string top, SynthesisTarget target, string workDirectory, string? sourceDirectory = null, string? netlist = null)
    {
        ArgumentNullException.ThrowIfNull(sources);
        workDirectory = Path.GetFullPath(workDirectory);
        Directory.CreateDirectory(workDirectory);
        string statFile = Path.Combine(workDirectory, $"{top}.{target}.stat.json");
        string log = Path.Combine(workDirectory, $"{top}.{target}.yosys.log");
        var start = new ProcessStartInfo("yosys") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = sourceDirectory ?? "" };
        foreach (string arg in new[] { "-q", "-l", log, "-p", Script(sources, top, target, statFile, netlist) }) start.ArgumentList.Add(arg);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new PotNetException("yosys: not found; install it (Debian: apt-get install yosys)");
        }

        using (process)
        {
            Task<string> stderr = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0 || !File.Exists(statFile))
            {
                string tail = string.Join(" | ", (File.Exists(log) ? File.ReadAllLines(log) : stderr.Result.Split('\n')).Where(l => l.Trim().Length > 0).TakeLast(3));
                throw new PotNetException($"{top}: Yosys synthesis for {target} failed (exit {process.ExitCode}): {tail}");
            }
        }

        return ResourceReport.Parse(File.ReadAllText(statFile), statFile);
    }
}
