using System.Text.Json;
using PotNet.Serialization;
using PotNet.Hardware;
using PotNet.Hardware.Energy;
using PotNet.Hardware.Power;
using PotNet.Hardware.Simulation;

namespace PotNet.Cli.Commands;

/// <summary>A gate-level power run beside an energy table's estimate of the same design (both per inference, at the design's Fmax).</summary>
/// <param name="Design">The design's directory.</param>
/// <param name="Gate">The gate-level result.</param>
/// <param name="Table">The energy table's name.</param>
/// <param name="TableByComponent">The table's dynamic energy by component.</param>
/// <param name="TablePicojoules">The table's total (dynamic + its static power over the cycle model's latency at Fmax).</param>
internal sealed record PowerComparison(string Design, GatePowerReport Gate, string Table, IReadOnlyDictionary<string, double> TableByComponent, double TablePicojoules)
{
    public static PowerComparison Of(Design design, GatePowerReport gate, EnergyTable table)
    {
        EnergyEstimate e = EnergyModel.Estimate(DesignEvents.Of(design.Schedule), table, CycleModel.Predict(design.Schedule).Cycles, gate.Path.FmaxMegahertz);
        return new PowerComparison(design.Directory, gate, table.Name, e.ByComponent(), e.TotalPicojoules);
    }

    /// <summary>
    /// Writes the run as a power report for <c>potnet energy calibrate</c>: the power of inferences
    /// back to back at <paramref name="clockMegahertz"/>, with the cycle model's cycles per inference
    /// (what calibrate divides by), so that calibrate recovers the gate-level energy per inference.
    /// </summary>
    public static void WriteReport(string path, Design design, GatePowerReport gate, double clockMegahertz)
    {
        double seconds = CycleModel.Predict(design.Schedule).Cycles / (clockMegahertz * 1e6);
        double Watts(double picojoules) => picojoules * 1e-12 / seconds;
        var report = new PowerReportFile(
            Watts(gate.DynamicPicojoules), gate.LeakageWatts,
            gate.Components.GroupBy(c => c.Component).ToDictionary(g => g.Key, g => Watts(g.Sum(c => c.DynamicPicojoules)), StringComparer.Ordinal),
            $"potnet hw power ({gate.Library}, {gate.Images} images)");
        AtomicFile.Write(path, s => JsonSerializer.Serialize(s, report, FileOptions));
    }

    private static readonly JsonSerializerOptions FileOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    /// <summary>The power report file's fields (<see cref="PowerReport"/> reads them).</summary>
    private sealed record PowerReportFile(double DynamicW, double StaticW, IReadOnlyDictionary<string, double> ComponentsW, string Source);
}
