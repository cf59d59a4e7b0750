namespace PotNet.Hardware.Energy;

/// <summary>One line of an energy estimate: the energy of one component's events in one layer.</summary>
/// <param name="Component">The component ("pe", "weight_rom", ...).</param>
/// <param name="Layer">The layer, or null.</param>
/// <param name="Kind">What the events do.</param>
/// <param name="Count">Events per inference.</param>
/// <param name="Picojoules">Their energy.</param>
public sealed record EnergyLine(string Component, string? Layer, EventKind Kind, long Count, double Picojoules);

/// <summary>Energy per inference, by line, with the static part and where the numbers come from.</summary>
/// <param name="Table">The energy table's name.</param>
/// <param name="Lines">Dynamic energy by component, layer and kind.</param>
/// <param name="DynamicPicojoules">Sum of the lines.</param>
/// <param name="StaticPicojoules">Static power times the inference's latency.</param>
/// <param name="LatencySeconds">Cycles per inference over the clock.</param>
public sealed record EnergyEstimate(string Table, IReadOnlyList<EnergyLine> Lines, double DynamicPicojoules, double StaticPicojoules, double LatencySeconds)
{
    /// <summary>Dynamic plus static energy per inference.</summary>
    public double TotalPicojoules => DynamicPicojoules + StaticPicojoules;

    /// <summary>Dynamic energy by component.</summary>
    public IReadOnlyDictionary<string, double> ByComponent() => Sum(l => l.Component);

    /// <summary>Dynamic energy by layer ("(none)" for events not tied to one).</summary>
    public IReadOnlyDictionary<string, double> ByLayer() => Sum(l => l.Layer ?? "(none)");

    private SortedDictionary<string, double> Sum(Func<EnergyLine, string> key) =>
        new(Lines.GroupBy(key).ToDictionary(g => g.Key, g => g.Sum(l => l.Picojoules)), StringComparer.Ordinal);
}

/// <summary>
/// Energy per inference = sum over events of count x energy per event (from an <see cref="EnergyTable"/>)
/// + static power x latency. The counts come from the cycle and event model, which equals the RTL's
/// counters; the energies are the table's: a model, labelled with the table it used.
/// </summary>
public static class EnergyModel
{
    /// <summary>Prices <paramref name="events"/> (per inference) under <paramref name="table"/>, for an inference of <paramref name="cycles"/> cycles at <paramref name="clockMegahertz"/>.</summary>
    public static EnergyEstimate Estimate(IEnumerable<EnergyEvent> events, EnergyTable table, long cycles, double clockMegahertz)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(table);
        if (clockMegahertz <= 0 || !double.IsFinite(clockMegahertz)) throw new PotNetException($"--clock: {clockMegahertz} MHz must be a positive number");
        if (cycles < 0) throw new ArgumentOutOfRangeException(nameof(cycles), cycles, "cycles must not be negative");
        EnergyLine[] lines = events.Select(e => new EnergyLine(e.Component, e.Layer, e.Kind, e.Count, table.Price(e))).ToArray();
        double latency = cycles / (clockMegahertz * 1e6);
        // mW x s = mJ; x 1e9 gives pJ.
        double staticPicojoules = table.StaticPowerMilliwatts * latency * 1e9;
        return new EnergyEstimate(table.Name, lines, lines.Sum(l => l.Picojoules), staticPicojoules, latency);
    }
}
