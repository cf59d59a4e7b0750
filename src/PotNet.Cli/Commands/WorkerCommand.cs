using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PotNet.Cli.Pipeline;

namespace PotNet.Cli.Commands;

/// <summary>
/// <c>potnet worker JOB.json FOLDER</c> (hidden): runs one training step of an experiment in this
/// process, for <see cref="StepProcess"/>. Prints <c>progress D T</c> lines and, at the end, one
/// <c>result {json}</c> line on standard output; errors as usual on standard error.
/// </summary>
internal static class WorkerCommand
{
    /// <summary>The protocol's line prefixes, shared with <see cref="StepProcess"/>.</summary>
    public const string ProgressPrefix = "progress ", ResultPrefix = "result ";

    public static Command Create(Terminal terminal)
    {
        var job = new Argument<string>("job") { Description = "The job file (JSON)." };
        var folder = new Argument<string>("folder") { Description = "The folder the step writes into." };
        var command = new Command("worker", "Run one training step of an experiment (used by reproduce and sweep).") { job, folder };
        command.Hidden = true;
        command.SetGuardedAction(terminal, parse =>
        {
            TrainingJob work = StepProcess.ReadJob(parse.GetValue(job)!);
            TrainedResult result = work.Run(parse.GetValue(folder)!, (done, total) =>
                terminal.Writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ProgressPrefix}{done} {total}")));
            terminal.Writer.WriteLine(ResultPrefix + JsonSerializer.Serialize(result, StepProcess.JsonOptions));
            return 0;
        });
        return command;
    }
}
