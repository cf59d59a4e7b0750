namespace PotNet.Hardware;

/// <summary>
/// The <see cref="DataflowKind.Stream"/> dataflow, written once. Its loop nest, outermost first:
/// <code>
/// for position (a pool: every output element)       -- address unit: corner counters
///   for group of P output channels                  -- param ROM word (bias, shift) per PE
///     for step of L taps                            -- one cycle: tap ROM word, weight ROM word per PE
///       for lane in L, for PE in P (in parallel)    -- activation byte from lane's copy of the tap's bank
/// </code>
/// Where each operand lives and how often it is fetched (<see cref="Energy.StorageLevels"/>): a weight code is
/// read from its PE's weight ROM at every position; the tap table from the tap ROM at every step; an
/// activation from the activation memories at every lane that needs it (a bank is replicated L times
/// so that L lanes read at once, and every write reaches the L copies); the partial sum stays in the
/// PE's accumulator for a group's steps. The schedule's tables (<see cref="Pass.Lane"/>, ROM images),
/// the cycle model, the operand traces and the tests' emulator all walk this nest; the RTL's counters
/// (<c>rtl/potnet_core.v</c>, <c>rtl/potnet_address_unit.v</c>) walk the same one.
/// </summary>
public static class StreamDataflow
{
    /// <summary>The steps <paramref name="pass"/> issues, in issue order (one per cycle): for position, for group, for step.</summary>
    public static IEnumerable<Issue> Issues(Pass pass)
    {
        ArgumentNullException.ThrowIfNull(pass);
        for (int position = 0; position < pass.Positions; position++)
        {
            foreach (Issue issue in PositionIssues(pass, position)) yield return issue;
        }
    }

    /// <summary>The steps of one output position, in issue order: for group, for step (<see cref="Pass.GroupSteps"/>). The weight ROM holds one word per such step.</summary>
    public static IEnumerable<Issue> PositionIssues(Pass pass, int position)
    {
        ArgumentNullException.ThrowIfNull(pass);
        for (int group = 0; group < pass.Groups; group++)
        {
            for (int step = 0; step < pass.GroupSteps(group); step++) yield return new Issue(position, group, step);
        }
    }

    /// <summary>The output channel PE <paramref name="pe"/> computes in group <paramref name="group"/>: group * P + pe.</summary>
    public static int Channel(AcceleratorConfig config, int group, int pe)
    {
        ArgumentNullException.ThrowIfNull(config);
        return (group * config.Parallel) + pe;
    }

    /// <summary>The weight ROM word (of every PE) that step <paramref name="issue"/> of weighted pass <paramref name="pass"/> reads.</summary>
    public static int WeightWord(Schedule schedule, Pass pass, Issue issue)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(pass);
        return schedule.WeightBase[pass.Index] + pass.StepBase(issue.Group) + issue.Step;
    }

    /// <summary>The parameter ROM word (of every PE) that group <paramref name="group"/> of weighted pass <paramref name="pass"/> reads.</summary>
    public static int ParamWord(Schedule schedule, Pass pass, int group)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(pass);
        return schedule.ParamBase[pass.Index] + group;
    }
}
