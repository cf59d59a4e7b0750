using PotNet.Hardware.Energy;
using PotNet.Model;

namespace PotNet.Hardware.Switching;

/// <summary>A model and the PE kind that computes its weights.</summary>
/// <param name="Pe">The PE kind (and multiplier for a MAC).</param>
/// <param name="Model">A model in that PE's format.</param>
public sealed record LaneSubject(AcceleratorConfig Pe, QuantizedModel Model);

/// <summary>
/// Switching activity of each PE kind's lane, with and without zero gating, on operand traces from
/// real inferences of the models, and the BAC/MAC ratio of toggles per operation beside the ratio an
/// energy table predicts for one product.
/// </summary>
public static class SwitchingActivity
{
    /// <summary>Measures every subject with gating off and on; <paramref name="progress"/> hears of each step.</summary>
    public static IReadOnlyList<LaneActivity> Measure(
        IReadOnlyList<LaneSubject> subjects, IReadOnlyList<ReadOnlyMemory<byte>> images, int parallel, int lanes, int maxCycles, string workDirectory, Action<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        var results = new List<LaneActivity>();
        foreach (LaneSubject subject in subjects)
        {
            foreach (bool gating in new[] { false, true })
            {
                var config = subject.Pe with { Parallel = parallel, Lanes = lanes, ZeroGating = gating };
                var schedule = Schedule.Create(subject.Model, config);
                IReadOnlyList<LaneInput> trace = OperandTrace.Of(schedule, images, maxCycles);
                string name = $"{(config.MultiplierName is string m ? $"mac-{m}" : config.PeName)}-{(gating ? "gated" : "ungated")}";
                progress?.Invoke($"{name}: {trace.Count} cycles");
                results.Add(GateLevelLane.Measure(config, schedule.Format, schedule.AccumulatorWidth, trace, Path.Combine(workDirectory, name)));
            }
        }

        return results;
    }

    /// <summary>The energy of one lane product of <paramref name="schedule"/>'s PEs under <paramref name="table"/>, as <see cref="DesignEvents"/> prices it.</summary>
    public static double TableEnergyPerProduct(EnergyTable table, Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(table);
        return DesignEvents.Product(schedule).Sum(p => table.Price(new EnergyEvent("pe", p.Kind, p.Bits, p.PerProduct)));
    }
}
