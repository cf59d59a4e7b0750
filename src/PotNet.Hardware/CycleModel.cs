namespace PotNet.Hardware;

/// <summary>
/// Predicts an accelerator's cycles and events per inference from its <see cref="Schedule"/>,
/// exactly as the RTL counts them. Nothing depends on the image: the schedule is static.
/// </summary>
public static class CycleModel
{
    /// <summary>Cycles and events of one inference, from the first input beat to the class beat.</summary>
    public static EventCounts Predict(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        AcceleratorConfig config = schedule.Config;
        long cycles = schedule.InputSize + schedule.Outputs + 1;
        long ops = 0, gated = 0, accUpdates = 0, weightReads = 0, paramReads = 0, addrReads = 0;
        long actReads = 0, actWrites = schedule.InputSize, requantizations = 0, poolUpdates = 0, logitWrites = 0;
        foreach (Pass pass in schedule.Passes)
        {
            cycles += pass.IssueCycles + Schedule.PipelineDepth;
            addrReads += pass.IssueCycles;
            long reads = pass.Lanes.Count(a => a >= 0);
            actReads += reads * pass.Groups;
            if (!pass.IsCompute)
            {
                poolUpdates += pass.IssueCycles;
                actWrites += pass.Positions;
                continue;
            }

            long outputs = (long)pass.Positions * pass.OutChannels;
            weightReads += outputs * pass.Steps;
            accUpdates += outputs * pass.Steps;
            paramReads += outputs;
            if (pass.Kind == PassKind.Hidden)
            {
                requantizations += outputs;
                actWrites += outputs;
            }
            else
            {
                logitWrites += outputs;
            }

            (long passOps, long passGated) = LaneOperations(schedule, pass);
            ops += passOps;
            gated += passGated;
        }

        return new EventCounts(cycles, ops, gated, accUpdates, weightReads, paramReads, addrReads, actReads, actWrites, requantizations, poolUpdates, logitWrites);
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
