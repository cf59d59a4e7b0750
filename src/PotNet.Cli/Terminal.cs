using Spectre.Console;

namespace PotNet.Cli;

/// <summary>
/// Where a command writes: human output (tables, progress) to <see cref="Out"/>, errors to
/// <see cref="Error"/>. Progress bars are drawn only on an interactive terminal; elsewhere (CI logs,
/// files, tests) progress is plain lines.
/// </summary>
internal sealed class Terminal
{
    public Terminal(TextWriter output, TextWriter error, bool interactive)
    {
        Writer = output;
        Error = error;
        Interactive = interactive;
        Out = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Interactive = interactive ? InteractionSupport.Yes : InteractionSupport.No,
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!interactive) Out.Profile.Width = 160;
    }

    /// <summary>Rich output: tables and progress.</summary>
    public IAnsiConsole Out { get; }

    /// <summary>The raw output writer, for JSON.</summary>
    public TextWriter Writer { get; }

    /// <summary>Errors and warnings.</summary>
    public TextWriter Error { get; }

    /// <summary>True on a terminal: progress is drawn as bars.</summary>
    public bool Interactive { get; }

    /// <summary>
    /// Runs <paramref name="work"/> with a progress callback (done, total): a bar on a terminal, a
    /// line on standard error at every tenth otherwise, so that standard output stays clean for JSON.
    /// </summary>
    public T WithProgress<T>(string description, Func<Action<int, int>, T> work)
    {
        if (Interactive)
        {
            return Out.Progress().AutoClear(true).Start(context =>
            {
                ProgressTask task = context.AddTask(description);
                return work((done, total) =>
                {
                    task.MaxValue = total;
                    task.Value = done;
                });
            });
        }

        int lastTenth = -1;
        return work((done, total) =>
        {
            int tenth = total == 0 ? 10 : (int)(10L * done / total);
            if (tenth == lastTenth) return;
            lastTenth = tenth;
            Error.WriteLine($"{description}: {done}/{total}");
        });
    }
}
