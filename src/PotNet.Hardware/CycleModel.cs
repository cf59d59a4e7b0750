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

    /// <summary>What an inference costs outside its passes: streaming the image in (written to buffer 0, each byte to its bank's L copies) and the logits and class out.</summary>
    public static EventCounts Overhead(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return new EventCounts(schedule.InputSize + schedule.Outputs + 1, 0, 0, 0, 0, 0, 0, 0, (long)schedule.InputSize * schedule.Config.Lanes, 0, 0, 0);
    }

    private static EventCounts PredictPass(Schedule schedule, Pass pass)
    {
        long cycles = pass.IssueCycles + Schedule.PipelineDepth;
        long actReads = pass.Lanes.Count(a => a >= 0) * (long)pass.Groups;
        int copies = schedule.Config.Lanes;
        if (!pass.IsCompute)
        {
            return new EventCounts(cycles, 0, 0, 0, 0, 0, pass.IssueCycles, actReads, (long)pass.Positions * copies, 0, pass.IssueCycles, 0);
        }

        long outputs = (long)pass.Positions * pass.OutChannels;
        bool hidden = pass.Kind == PassKind.Hidden;
        (long ops, long gated) = LaneOperations(schedule, pass);
        return new EventCounts(
            cycles, ops, gated, AccUpdates: outputs * pass.Steps, WeightRomReads: outputs * pass.Steps, ParamRomReads: outputs,
            TapRomReads: pass.IssueCycles, ActReads: actReads, ActWrites: hidden ? outputs * copies : 0, Requantizations: hidden ? outputs : 0,
            PoolUpdates: 0, LogitWrites: hidden ? 0 : outputs);
    }

    /// <summary>Lane operations performed and gated over the pass: every busy lane of every valid PE, every step.</summary>
    private static (long Ops, long Gated) LaneOperations(Schedule schedule, Pass pass)
    {
        AcceleratorConfig config = schedule.Config;
        int lanes = config.Lanes;
        long ops = 0, gated = 0;
        for (int p = 0; p < pass.Positions; p++)
        {
            for (int g = 0; g < pass.Groups; g++)
            {
                for (int pe = 0; pe < config.Parallel && g * config.Parallel + pe < pass.OutChannels; pe++)
                {
                    for (int s = 0; s < pass.Steps; s++)
                    {
                        for (int l = 0; l < lanes; l++)
                        {
                            if (pass.Lanes[((p * pass.Steps) + s) * lanes + l] == Pass.Idle) continue;
                            bool zero = schedule.LaneCode(pass, pe, g, s, l) == schedule.Format.ZeroCode;
                            if (config.ZeroGating && zero) gated++;
                            else ops++;
                        }
                    }
                }
            }
        }

        return (ops, gated);
    }
}
