using PotNet.Model;

namespace PotNet.Hardware;

/// <summary>
/// Predicts an accelerator's cycles and events per inference from its <see cref="Schedule"/>,
/// exactly as the RTL counts them. Nothing depends on the image: the schedule is static.
/// </summary>
public static class CycleModel
{
    /// <summary>Cycles and events of one inference, from the first input beat to the class beat.</summary>
    public static EventCounts Predict(Schedule schedule) =>
        PredictByPass(schedule).Aggregate(Overhead(schedule), (total, pass) => total.Plus(pass.Counts));

    /// <summary>
    /// The cycles and events of each pass (a layer), without the input stream, the logits' output and
    /// the class beat, which <see cref="Overhead"/> counts: <see cref="Predict"/> is their sum.
    /// </summary>
    public static IReadOnlyList<(Pass Pass, EventCounts Counts)> PredictByPass(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return schedule.Passes.Select(pass => (pass, PredictPass(schedule, pass))).ToArray();
    }

    /// <summary>
    /// What an inference costs outside its passes: streaming the image in (written to buffer 0, each
    /// byte to its bank's copies: L in <see cref="DataflowKind.Stream"/>, 1 in <see cref="DataflowKind.RowBuffer"/>) and the logits and class out.
    /// </summary>
    public static EventCounts Overhead(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return new EventCounts { Cycles = schedule.InputSize + schedule.Outputs + 1, ActWrites = (long)schedule.InputSize * Copies(schedule.Config) };
    }

    /// <summary>Copies of each activation bank, each taking every write to it.</summary>
    internal static int Copies(AcceleratorConfig config) => config.Dataflow switch
    {
        DataflowKind.Stream => config.Lanes,
        DataflowKind.RowBuffer => 1,
    };

    private static EventCounts PredictPass(Schedule schedule, Pass pass) => schedule.Config.Dataflow switch
    {
        DataflowKind.Stream => StepCounts(schedule, pass),
        DataflowKind.RowBuffer => RowBufferPass(schedule, pass),
    };

    /// <summary>
    /// <see cref="RowBufferDataflow"/>: the steps and arithmetic, plus the row loads (their cycles,
    /// activation reads and row-buffer writes; with a fused pool every window element is read and
    /// goes through its bank's max, and the maximum is written); the lanes' taps read the row buffer. A pass whose
    /// lanes are taps reads each busy lane's code from the lane's weight ROM; a pass whose lanes are
    /// columns reads one code per PE and step from the PE's ROM at its first tile and from the PE's
    /// register file at every later one, accumulates every busy lane on its own, and after each group
    /// requantises every lane's accumulator of every PE into the result registers, which the drain
    /// writes out one lane per cycle while the next group runs (<see cref="RowBufferCycles"/>). A zero-skipping pass reads a tap index word
    /// per step: from the ROM, or, at the later positions of a pass that holds its weights, from the
    /// register file the ROM's words fill at its first.
    /// </summary>
    private static EventCounts RowBufferPass(Schedule schedule, Pass pass)
    {
        EventCounts steps = StepCounts(schedule, pass);
        RowWindow window = RowBufferDataflow.Window(schedule.Config, pass);
        long loads = RowBufferDataflow.LoadBytes(window);
        EventCounts common = steps with
        {
            Cycles = RowBufferCycles(pass, window, schedule.Config.Lanes),
            TapRomReads = 0,
            ActReads = loads,
            RowBufferReads = steps.ActReads,
            RowBufferWrites = RowBufferDataflow.LoadWrites(window),
            LoadMaxes = pass.Pool is null ? 0 : loads,
        };
        if (!pass.IsCompute) return common;
        bool held = RowBufferDataflow.HoldsWeights(pass);
        if (pass.Skips) common = common with { TapIndexReads = held ? pass.PositionSteps : pass.IssueCycles };
        if (pass.Skips && held) common = common with { TapIndexRfWrites = pass.PositionSteps, TapIndexRfReads = pass.IssueCycles - pass.PositionSteps };
        // One code per valid PE and step of a position: what a broadcast ROM or register file holds.
        long codes = PeSteps(schedule, pass);
        return pass.Mapping switch
        {
            LaneMapping.Taps => common with { WeightRomReads = BusyLaneCodes(schedule, pass) },
            LaneMapping.Columns => common with
            {
                AccUpdates = steps.PeOps + steps.GatedOps,
                WeightRomReads = 0,
                PeRomReads = held ? codes : codes * pass.Positions,
                WeightRfWrites = held ? codes : 0,
                WeightRfReads = held ? codes * (pass.Positions - 1) : 0,
                DrainReads = (long)pass.Positions * pass.Groups * schedule.Config.Parallel * schedule.Config.Lanes,
                ResultWrites = steps.Requantizations,
            },
        };
    }

    /// <summary>
    /// Cycles of a <see cref="DataflowKind.RowBuffer"/> pass, walked as the core runs it. Per channel (a
    /// pool's; once for a weighted pass) and output row: ROWS, the row loads the previous row's RUN did
    /// not finish (the loader works in every RUN cycle of the row before, for the next row's rows, but
    /// not across a pool's channels), at least one cycle; then RUN, per issue position and group one
    /// cycle per step, except that in a pass whose lanes are columns a group's last step issues at
    /// least L cycles after the previous group's (its drain writes the previous group's L results,
    /// one a cycle, from the result registers the next latch overwrites). After the pass's last step,
    /// PIPE cycles until its last results are written, and L more for a column pass's drain.
    /// </summary>
    internal static long RowBufferCycles(Pass pass, RowWindow window, int lanes)
    {
        int[] rows = RowBufferDataflow.RowsLoaded(window);
        int positions = pass.PositionsPerRow;
        bool columns = pass.Mapping == LaneMapping.Columns;
        long t = 0, lastIssue = long.MinValue / 2;
        for (int channel = 0; channel < window.View.Channels; channel++)
        {
            long run = 0;
            foreach (int loaded in rows)
            {
                t += Math.Max(1, RowBufferDataflow.RowLoadWork(window, loaded) - run);
                long start = t;
                for (int position = 0; position < positions; position++)
                {
                    for (int g = 0; g < pass.Groups; g++)
                    {
                        t += pass.GroupSteps(g) - 1;
                        if (columns) t = Math.Max(t, lastIssue + lanes);
                        lastIssue = t++;
                    }
                }

                run = t - start;
            }
        }

        return t + Schedule.PipelineDepth + (columns ? lanes : 0);
    }

    /// <summary>
    /// <see cref="StreamDataflow"/>'s pass, and the steps every dataflow issues: one tap word per step, one
    /// activation read per busy lane and group, weight words and accumulator updates per PE, issue
    /// position and step, a parameter word per PE and issue position, each output written to its bank's copies.
    /// </summary>
    private static EventCounts StepCounts(Schedule schedule, Pass pass)
    {
        long cycles = pass.IssueCycles + Schedule.PipelineDepth;
        long actReads = StreamDataflow.Issues(pass).Sum(issue => (long)Enumerable.Range(0, schedule.Config.Lanes).Count(l => pass.Lane(issue, l) >= 0));
        int copies = Copies(schedule.Config);
        if (!pass.IsCompute)
        {
            return new EventCounts { Cycles = cycles, TapRomReads = pass.IssueCycles, ActReads = actReads, ActWrites = (long)pass.OutputPositions * copies, PoolUpdates = pass.IssueCycles };
        }

        long outputs = (long)pass.OutputPositions * pass.OutChannels, issued = (long)pass.Positions * pass.OutChannels;
        long peSteps = PeSteps(schedule, pass) * pass.Positions;
        bool hidden = pass.Kind == PassKind.Hidden;
        (long ops, long gated) = LaneOperations(schedule, pass);
        return new EventCounts
        {
            Cycles = cycles, PeOps = ops, GatedOps = gated, AccUpdates = peSteps, WeightRomReads = peSteps, ParamRomReads = issued,
            TapRomReads = pass.IssueCycles, ActReads = actReads, ActWrites = hidden ? outputs * copies : 0, Requantizations = hidden ? outputs : 0,
            LogitWrites = hidden ? 0 : outputs,
        };
    }

    /// <summary>Steps of one position times the valid PEs (those with an output channel) of their group.</summary>
    private static long PeSteps(Schedule schedule, Pass pass) =>
        Enumerable.Range(0, pass.Groups).Sum(g => (long)pass.GroupSteps(g) * Math.Min(schedule.Config.Parallel, pass.OutChannels - StreamDataflow.Channel(schedule.Config, g, 0)));

    /// <summary>Codes the lanes of a pass whose lanes are taps read: every busy (not idle) lane of every valid PE, every issued step.</summary>
    private static long BusyLaneCodes(Schedule schedule, Pass pass)
    {
        AcceleratorConfig config = schedule.Config;
        long codes = 0;
        foreach (Issue issue in StreamDataflow.Issues(pass))
        {
            int busy = Enumerable.Range(0, config.Lanes).Count(l => pass.Lane(issue, l) != Pass.Idle);
            codes += (long)busy * Math.Min(config.Parallel, pass.OutChannels - StreamDataflow.Channel(config, issue.Group, 0));
        }

        return codes;
    }

    /// <summary>Lane operations performed and gated over the pass: every busy lane of every valid PE, every issued step.</summary>
    private static (long Ops, long Gated) LaneOperations(Schedule schedule, Pass pass)
    {
        AcceleratorConfig config = schedule.Config;
        long ops = 0, gated = 0;
        foreach (Issue issue in StreamDataflow.Issues(pass))
        {
            for (int pe = 0; pe < config.Parallel && StreamDataflow.Channel(config, issue.Group, pe) < pass.OutChannels; pe++)
            {
                for (int l = 0; l < config.Lanes; l++)
                {
                    if (pass.Lane(issue, l) == Pass.Idle) continue;
                    bool zero = schedule.LaneCode(pass, pe, issue, l) == schedule.Format.ZeroCode;
                    if (config.ZeroGating && zero) gated++;
                    else ops++;
                }
            }
        }

        return (ops, gated);
    }
}
