using System.ComponentModel;
using System.Diagnostics;

namespace PotNet.Hardware.Simulation;

/// <summary>The outcome of an external command.</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Output">Its standard output.</param>
/// <param name="Error">Its standard error.</param>
/// <param name="Elapsed">Wall time.</param>
public sealed record ProcessResult(int ExitCode, string Output, string Error, TimeSpan Elapsed)
{
    /// <summary>The last lines of both streams, for an error message.</summary>
    public string Tail(int lines = 12) =>
        string.Join('\n', (Output + "\n" + Error).Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));
}

/// <summary>Runs the simulators' tools.</summary>
internal static class ProcessRunner
{
    public static ProcessResult Run(string directory, IReadOnlyList<string> command)
    {
        // A relative program path (a built simulator) is relative to the design, not to this process.
        string program = command[0].Contains('/', StringComparison.Ordinal) ? Path.Combine(directory, command[0]) : command[0];
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in command.Skip(1)) start.ArgumentList.Add(argument);
        var clock = Stopwatch.StartNew();
        try
        {
            using Process process = Process.Start(start)!;
            Task<string> error = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return new ProcessResult(process.ExitCode, output, error.Result, clock.Elapsed);
        }
        catch (Win32Exception)
        {
            throw new PotNetException($"{command[0]} is not installed or not on PATH (on Debian: apt-get install {Package(command[0])})");
        }
    }

    private static string Package(string tool) => tool switch
    {
        "iverilog" or "vvp" => "iverilog",
        "yosys" => "yosys",
        "sta" => "opensta",
        _ => "verilator build-essential",
    };
}
