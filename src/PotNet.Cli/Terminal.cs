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
        // Steps that run side by side report from several threads; a StringWriter (the tests') is not thread-safe.
        output = TextWriter.Synchronized(output);
        Writer = output;
        Error = TextWriter.Synchronized(error);
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

    private ProgressContext? _board;

    /// <summary>
    /// Runs <paramref name="body"/>, during which <see cref="WithProgressAsync"/> draws every step that
    /// runs as a bar of one shared display (on a terminal; elsewhere it changes nothing), so steps that
    /// run side by side each have their bar, and <see cref="Status"/> lines appear above the bars.
    /// </summary>
    public async Task<T> WithProgressBoardAsync<T>(Func<Task<T>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (!Interactive) return await body().ConfigureAwait(false);
        return await Out.Progress().AutoClear(true).HideCompleted(true).StartAsync(async context =>
        {
            _board = context;
            try
            {
                return await body().ConfigureAwait(false);
            }
            finally
            {
                _board = null;
            }
        }).ConfigureAwait(false);
    }

    /// <summary>A status line (a step ran, was cached): above the progress bars on a terminal, on standard error otherwise.</summary>
    public void Status(string line)
    {
        if (_board is not null) Out.WriteLine(line);
        else Error.WriteLine(line);
    }

    /// <summary>
    /// Runs <paramref name="work"/> with a progress callback (done, total): a bar of the shared display
    /// (<see cref="WithProgressBoardAsync"/>) on a terminal, a line on standard error at every tenth otherwise.
    /// </summary>
    public async Task<T> WithProgressAsync<T>(string description, Func<Action<int, int>, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (_board is ProgressContext board)
        {
            ProgressTask task = board.AddTask(Markup.Escape(description));
            try
            {
                return await work((done, total) =>
                {
                    task.MaxValue = total;
                    task.Value = done;
                }).ConfigureAwait(false);
            }
            finally
            {
                task.StopTask();
            }
        }

        return await work(LineProgress(description)).ConfigureAwait(false);
    }

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

        return work(LineProgress(description));
    }

    private Action<int, int> LineProgress(string description)
    {
        int lastTenth = -1;
        return (done, total) =>
        {
            int tenth = total == 0 ? 10 : (int)(10L * done / total);
            if (tenth == lastTenth) return;
            lastTenth = tenth;
            Error.WriteLine($"{description}: {done}/{total}");
        };
    }
}
