using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using PotNet.Cli.Commands;

namespace PotNet.Cli.Pipeline;

/// <summary>
/// Runs a <see cref="TrainingJob"/> in a child process (<c>dotnet PotNet.Cli.dll worker</c>): libtorch
/// runs there, so a native fault (an abort, a segmentation fault) ends that process and becomes one
/// <see cref="StepFailedException"/> naming the signal and the first line of what it printed, instead
/// of ending the experiment with a stack dump and losing the steps running beside it.
/// </summary>
internal static class StepProcess
{
    /// <summary>How a job and its result travel between the processes.</summary>
    public static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Reads a job file written by <see cref="RunAsync"/>.</summary>
    public static TrainingJob ReadJob(string path) =>
        JsonSerializer.Deserialize<TrainingJob>(File.ReadAllText(path), JsonOptions) ?? throw new PotNetException($"{path}: empty job");

    /// <summary>Runs <paramref name="job"/> into <paramref name="folder"/> in a child process; <paramref name="progress"/> gets its (done, total).</summary>
    /// <exception cref="StepFailedException">The child failed, or was killed by a signal.</exception>
    public static async Task<TrainedResult> RunAsync(TrainingJob job, string folder, Action<int, int> progress)
    {
        string jobFile = Path.Combine(folder, "job.json");
        await File.WriteAllTextAsync(jobFile, JsonSerializer.Serialize(job, JsonOptions)).ConfigureAwait(false);
        var start = new ProcessStartInfo(DotnetHost()) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in new[] { typeof(StepProcess).Assembly.Location, "worker", jobFile, folder }) start.ArgumentList.Add(argument);
        using Process child = Process.Start(start) ?? throw new StepFailedException("could not start the worker process");
        Task<string> errors = child.StandardError.ReadToEndAsync();
        TrainedResult? result = null;
        while (await child.StandardOutput.ReadLineAsync().ConfigureAwait(false) is string line)
        {
            if (line.StartsWith(WorkerCommand.ProgressPrefix, StringComparison.Ordinal))
            {
                string[] numbers = line[WorkerCommand.ProgressPrefix.Length..].Split(' ');
                progress(int.Parse(numbers[0], CultureInfo.InvariantCulture), int.Parse(numbers[1], CultureInfo.InvariantCulture));
            }
            else if (line.StartsWith(WorkerCommand.ResultPrefix, StringComparison.Ordinal))
            {
                result = JsonSerializer.Deserialize<TrainedResult>(line[WorkerCommand.ResultPrefix.Length..], JsonOptions);
            }
        }

        await child.WaitForExitAsync().ConfigureAwait(false);
        string stderr = await errors.ConfigureAwait(false);
        File.Delete(jobFile);
        if (child.ExitCode == 0 && result is not null) return result;
        throw new StepFailedException(Cause(child.ExitCode, stderr));
    }

    /// <summary>One line: what ended the worker (its error, or the signal that killed it, with the first line it printed).</summary>
    internal static string Cause(int exitCode, string stderr)
    {
        string[] lines = [.. stderr.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)];
        // The runtime reports a native exception as "Unhandled exception. Type: message"; libtorch's
        // message is its first line.
        string first = lines.FirstOrDefault(l => !l.StartsWith("at ", StringComparison.Ordinal)) ?? "no output";
        string? error = lines.LastOrDefault(l => l.StartsWith("error: ", StringComparison.Ordinal));
        return exitCode switch
        {
            > 128 => $"the worker process was killed by {Signal(exitCode - 128)} (a native fault in libtorch): {first}",
            _ when error is not null => error["error: ".Length..],
            _ => $"the worker process exited with code {exitCode}: {first}",
        };
    }

    private static string Signal(int number) => number switch
    {
        6 => "SIGABRT",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        _ => $"signal {number}",
    };

    // The host running this process when it is dotnet itself (./potnet, the tests), else dotnet from PATH.
    private static string DotnetHost() =>
        Environment.ProcessPath is string path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
}

/// <summary>A pipeline step that failed; the message is one line naming the step and the cause, which the command prints as its error.</summary>
internal sealed class StepFailedException : PotNetException
{
    public StepFailedException(string message) : base(message) { }

    public StepFailedException(string message, Exception innerException) : base(message, innerException) { }
}
