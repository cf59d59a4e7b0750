using PotNet.Hardware.Energy;

namespace PotNet.Hardware.Tests.Energy;

public class EnergyCalibrationTests
{
    private static readonly EnergyTable Asic = EnergyTable.Load("asic-45nm");

    /// <summary>A report whose power is what <paramref name="truth"/> predicts for <paramref name="events"/>.</summary>
    private static PowerMeasurement Measure(string name, EnergyEvent[] events, EnergyTable truth, long cycles, double mhz, double staticWatts)
    {
        double picojoules = EnergyModel.Estimate(events, truth, cycles, mhz).DynamicPicojoules;
        double watts = picojoules * 1e-12 / (cycles / (mhz * 1e6));
        return new PowerMeasurement(name, events, cycles, mhz, new PowerReport($"{name}.rpt", watts, staticWatts));
    }

    private static EnergyTable Scaled(Dictionary<EventKind, double> factors) =>
        new("truth", "", Asic.Sources, Asic.Curves.ToDictionary(c => c.Key, c => c.Value with { Curve = c.Value.Curve.Scale(factors.GetValueOrDefault(c.Key, 1)) }), 0, Asic.StaticPowerSource);

    private static readonly EnergyEvent[][] Designs =
    [
        [new("pe", EventKind.Shift, 8, 90_000), new("acc", EventKind.Add, 24, 90_000), new("rom", EventKind.MemoryRead, 4, 90_000, MemoryBytes: 4096)],
        [new("pe", EventKind.Multiply, 8, 90_000), new("acc", EventKind.Add, 24, 90_000), new("rom", EventKind.MemoryRead, 4, 90_000, MemoryBytes: 4096)],
        [new("pe", EventKind.Shift, 8, 10_000), new("pe", EventKind.Multiply, 8, 50_000), new("acc", EventKind.Add, 32, 20_000), new("rom", EventKind.MemoryRead, 8, 70_000, MemoryBytes: 65536)],
        [new("pe", EventKind.Shift, 16, 40_000), new("acc", EventKind.Add, 16, 5_000), new("rom", EventKind.MemoryRead, 8, 1_000, MemoryBytes: 8192)],
    ];

    [Fact]
    public void Calibration_recovers_known_coefficients_from_synthetic_reports()
    {
        var truth = new Dictionary<EventKind, double> { [EventKind.Shift] = 3, [EventKind.Multiply] = 1.5, [EventKind.Add] = 7, [EventKind.MemoryRead] = 0.25 };
        EnergyTable actual = Scaled(truth);
        PowerMeasurement[] reports = Designs.Select((d, i) => Measure($"d{i}", d, actual, 50_000 + i * 1000, 100 + i * 50, 0.4 + i * 0.1)).ToArray();

        Calibration fit = EnergyCalibration.Fit(Asic, reports);
        (EnergyTable fitted, IReadOnlyDictionary<EventKind, double> factors) = (fit.Table, fit.Factors);

        foreach ((EventKind kind, double factor) in truth) Assert.Equal(factor, factors[kind], 9);
        Assert.Equal(550, fitted.StaticPowerMilliwatts, 9); // mean of 0.4, 0.5, 0.6, 0.7 W
        foreach (PowerMeasurement m in reports)
        {
            Assert.Equal(m.DynamicPicojoules, EnergyModel.Estimate(m.Events, fitted, m.Cycles, m.ClockMegahertz).DynamicPicojoules, 3);
        }

        Assert.Contains("calibration", fitted.Sources.Keys);
    }

    [Fact]
    public void One_report_fits_one_factor_for_every_kind()
    {
        var truth = Enum.GetValues<EventKind>().ToDictionary(k => k, _ => 2.5);
        PowerMeasurement report = Measure("d", Designs[2], Scaled(truth), 40_000, 200, 0.6);
        IReadOnlyDictionary<EventKind, double> factors = EnergyCalibration.Fit(Asic, [report]).Factors;
        Assert.All(factors.Values, f => Assert.Equal(2.5, f, 9));
    }

    /// <summary>Reports broken down by component, as <c>potnet hw power</c> writes them, measured under <paramref name="truth"/>.</summary>
    private static PowerMeasurement MeasureByComponent(string name, EnergyEvent[] events, EnergyTable truth, long cycles, double mhz)
    {
        double seconds = cycles / (mhz * 1e6);
        var components = events.GroupBy(e => e.Component).ToDictionary(g => g.Key, g => g.Sum(truth.Price) * 1e-12 / seconds, StringComparer.Ordinal);
        return new PowerMeasurement(name, events, cycles, mhz, new PowerReport($"{name}.json", components.Values.Sum(), 1e-4, components));
    }

    [Fact]
    public void Component_reports_fit_every_kind_from_two_designs_and_price_cycles_the_base_table_does_not()
    {
        // The truth prices a cycle at 0.3 pJ, which asic-45nm prices at zero: the fit must find it as an energy per event.
        var truth = new Dictionary<EventKind, double> { [EventKind.Shift] = 4, [EventKind.Multiply] = 2, [EventKind.Add] = 9, [EventKind.MemoryRead] = 16 };
        var curves = Scaled(truth).Curves.ToDictionary(c => c.Key, c => c.Key == EventKind.Cycle ? c.Value with { Curve = new PowerLaw([(1, 0.3)]) } : c.Value);
        var actual = new EnergyTable("truth", "", Asic.Sources, curves, 0, Asic.StaticPowerSource);
        EnergyEvent[][] designs =
        [
            [new("pe", EventKind.Shift, 8, 90_000), new("acc", EventKind.Add, 24, 90_000), new("rom", EventKind.MemoryRead, 4, 90_000, MemoryBytes: 4096), new("control", EventKind.Cycle, 1, 12_000)],
            [new("pe", EventKind.Multiply, 8, 90_000), new("acc", EventKind.Add, 24, 90_000), new("rom", EventKind.MemoryRead, 4, 90_000, MemoryBytes: 4096), new("control", EventKind.Cycle, 1, 12_000)],
        ];
        PowerMeasurement[] reports = [.. designs.Select((d, i) => MeasureByComponent($"d{i}", d, actual, 12_000, 100))];

        Calibration fit = EnergyCalibration.Fit(Asic, reports, "asic-test");

        Assert.Equal("asic-test", fit.Table.Name);
        Assert.Equal(8, fit.Rows.Count); // two designs x four components
        foreach ((EventKind kind, double factor) in truth) Assert.Equal(factor, fit.Factors[kind], 6);
        Assert.Equal(0.3, fit.Factors[EventKind.Cycle], 9);
        Assert.Equal(0.3, fit.Table.Price(new EnergyEvent("control", EventKind.Cycle, 1, 1)), 9);
        Assert.All(fit.Rows, r => Assert.Equal(0, r.RelativeError, 6));
    }

    [Fact]
    public void No_fitted_energy_is_negative()
    {
        // The second design's measured PE energy is far below the first's for the same shifts: an
        // unconstrained fit would make some kind negative to explain it.
        EnergyEvent[] events = [new("pe", EventKind.Shift, 8, 90_000), new("pe", EventKind.Add, 24, 90_000), new("control", EventKind.Cycle, 1, 10_000)];
        PowerMeasurement Report(string name, double pe, double control) =>
            new(name, events, 10_000, 100, new PowerReport(name, pe + control, 0, new Dictionary<string, double> { ["pe"] = pe, ["control"] = control }));

        Calibration fit = EnergyCalibration.Fit(Asic, [Report("a", 0.05, 0.01), Report("b", 0.001, 0.02), Report("c", 0.03, 0.001)]);

        Assert.All(fit.Factors.Values, f => Assert.True(f >= 0, $"factor {f}"));
        Assert.All(fit.Rows, r => Assert.True(r.FittedPicojoules >= 0));
    }

    [Fact]
    public void No_reports_is_refused() => Assert.Throws<PotNetException>(() => EnergyCalibration.Fit(Asic, []));
}
