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

        (EnergyTable fitted, IReadOnlyDictionary<EventKind, double> factors) = EnergyCalibration.Fit(Asic, reports);

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
        (_, IReadOnlyDictionary<EventKind, double> factors) = EnergyCalibration.Fit(Asic, [report]);
        Assert.All(factors.Values, f => Assert.Equal(2.5, f, 9));
    }

    [Fact]
    public void No_reports_is_refused() => Assert.Throws<PotNetException>(() => EnergyCalibration.Fit(Asic, []));
}
