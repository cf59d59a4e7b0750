using System.CommandLine;
using System.CommandLine.Help;
using PotNet.Cli.Commands;

namespace PotNet.Cli;

/// <summary>
/// The <c>potnet</c> command: its verbs, and the one place that turns a user's mistake into one
/// clear line on standard error and a non-zero exit code, never a stack trace.
/// </summary>
internal static class PotNetCommand
{
    /// <summary>Exit code for bad input: a malformed file, a wrong option value.</summary>
    public const int InputError = 1;

    /// <summary>Exit code for a command line that does not parse.</summary>
    public const int UsageError = 2;

    public static int Run(string[] args, TextWriter output, TextWriter error, bool? interactive = null)
    {
        bool isTerminal = interactive ?? (!Console.IsOutputRedirected && ReferenceEquals(output, Console.Out));
        var terminal = new Terminal(output, error, isTerminal);
        Command root = Build(terminal);
        if (args.Length == 0)
        {
            root.Parse(["--help"]).Invoke(new InvocationConfiguration { Output = output, Error = error });
            return UsageError;
        }

        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var parseError in parse.Errors) error.WriteLine($"error: {parseError.Message}");
            error.WriteLine($"see: {CommandPath(parse.CommandResult.Command)} --help");
            return UsageError;
        }

        return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
    }

    private static Command Build(Terminal terminal)
    {
        // A plain command named for the tool, rather than RootCommand, which takes its name from
        // the assembly (PotNet.Cli).
        var root = new Command("potnet", "PotNet: power-of-two quantised neural networks, from training to hardware.")
        {
            new HelpOption(),
            new VersionOption(),
        };
        root.Subcommands.Add(DataCommand.Create(terminal));
        root.Subcommands.Add(InfoCommand.Create(terminal));
        root.Subcommands.Add(EvalCommand.Create(terminal));
        root.Subcommands.Add(ReportCommand.Create(terminal));
        root.Subcommands.Add(HwCommand.Create(terminal));
        root.Subcommands.Add(EnergyCommand.Create(terminal));
        root.Subcommands.Add(ExportCommand.Create(terminal));
        root.Subcommands.Add(ImportCommand.Create(terminal));
        root.Subcommands.Add(TrainCommand.Create(terminal));
        root.Subcommands.Add(PruneCommand.Create(terminal));
        root.Subcommands.Add(SweepCommand.Create(terminal));
        root.Subcommands.Add(ReproduceCommand.Create(terminal));
        root.Subcommands.Add(WorkerCommand.Create(terminal));
        return root;
    }

    private static string CommandPath(Command command)
    {
        var names = new List<string>();
        for (Symbol? s = command; s is Command c; s = c.Parents.FirstOrDefault()) names.Insert(0, c.Name);
        return string.Join(' ', names);
    }

    /// <summary>Wraps a verb's action: bad input becomes "error: ..." and exit code 1.</summary>
    public static void SetGuardedAction(this Command command, Terminal terminal, Func<ParseResult, int> action)
    {
        command.SetAction(parse =>
        {
            try
            {
                return action(parse);
            }
            catch (Exception ex) when (ex is PotNetException or IOException or UnauthorizedAccessException)
            {
                terminal.Error.WriteLine($"error: {ex.Message}");
                return InputError;
            }
        });
    }
}
