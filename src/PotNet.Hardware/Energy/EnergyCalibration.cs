namespace PotNet.Hardware.Energy;

/// <summary>A design whose event counts are known, with the power measured while it ran inferences back to back.</summary>
/// <param name="Name">The design.</param>
/// <param name="Events">Its events per inference (from the cycle and event model).</param>
/// <param name="Cycles">Cycles per inference.</param>
/// <param name="ClockMegahertz">The clock the power was measured at.</param>
/// <param name="Report">The measured power.</param>
public sealed record PowerMeasurement(string Name, IReadOnlyList<EnergyEvent> Events, long Cycles, double ClockMegahertz, PowerReport Report)
{
    /// <summary>Measured dynamic energy per inference: dynamic power x cycles / clock, in picojoules.</summary>
    public double DynamicPicojoules => Report.DynamicWatts * Cycles / (ClockMegahertz * 1e6) * 1e12;
}

/// <summary>
/// Fits an energy table's coefficients to measured power: each event kind's curve is scaled by one
/// factor (its shape, e.g. how energy grows with width, is kept), chosen by least squares over the
/// measurements; static power becomes the mean measured static power. With fewer measurements than
/// kinds in use, one factor scales every curve.
/// </summary>
public static class EnergyCalibration
{
    /// <summary>The calibrated table and the factor applied to each kind.</summary>
    public static (EnergyTable Table, IReadOnlyDictionary<EventKind, double> Factors) Fit(EnergyTable table, IReadOnlyList<PowerMeasurement> measurements)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(measurements);
        if (measurements.Count == 0) throw new PotNetException("calibration: no power measurements");

        // a[j][k]: design j's energy of kind k under the table; b[j]: its measured dynamic energy.
        EventKind[] kinds = Enum.GetValues<EventKind>()
            .Where(k => measurements.Any(m => m.Events.Any(e => e.Kind == k && table.Price(e) > 0))).ToArray();
        if (kinds.Length == 0) throw new PotNetException("calibration: the designs' events cost nothing under this table");
        double[][] a = measurements.Select(m => kinds.Select(k => m.Events.Where(e => e.Kind == k).Sum(table.Price)).ToArray()).ToArray();
        double[] b = measurements.Select(m => m.DynamicPicojoules).ToArray();

        double[]? perKind = measurements.Count >= kinds.Length ? LeastSquares(a, b) : null;
        var factors = new Dictionary<EventKind, double>();
        if (perKind is not null && perKind.All(f => f > 0))
        {
            for (int k = 0; k < kinds.Length; k++) factors[kinds[k]] = perKind[k];
        }
        else
        {
            // One factor for all: minimises sum_j (s * model_j - measured_j)^2.
            double[] model = a.Select(row => row.Sum()).ToArray();
            double s = model.Zip(b, (m, y) => m * y).Sum() / model.Sum(m => m * m);
            foreach (EventKind k in kinds) factors[k] = s;
        }

        var curves = table.Curves.ToDictionary(
            c => c.Key,
            c => factors.TryGetValue(c.Key, out double f) ? c.Value with { Curve = c.Value.Curve.Scale(f), Source = "calibration", Note = $"{table.Name} x {f:G6}" } : c.Value);
        var sources = new Dictionary<string, string>(table.Sources, StringComparer.Ordinal)
        {
            ["calibration"] = $"Fitted by potnet energy calibrate to {string.Join(", ", measurements.Select(m => $"{m.Name} ({m.Report.Source}, {m.ClockMegahertz} MHz)"))}, from {table.Name}.",
        };
        double staticMilliwatts = measurements.Average(m => m.Report.StaticWatts) * 1000;
        var calibrated = new EnergyTable($"{table.Name}-calibrated", $"{table.Name} fitted to measured power reports.", sources, curves, staticMilliwatts, "calibration");
        return (calibrated, factors);
    }

    /// <summary>Solves the normal equations (A^T A) x = A^T b by Gaussian elimination with partial pivoting; null if singular.</summary>
    private static double[]? LeastSquares(double[][] a, double[] b)
    {
        int n = a[0].Length;
        var m = new double[n, n + 1];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < n; j++) m[i, j] = a.Sum(row => row[i] * row[j]);
            m[i, n] = a.Select((row, r) => row[i] * b[r]).Sum();
        }

        double scale = Enumerable.Range(0, n).Max(i => Math.Abs(m[i, i]));
        for (int col = 0; col < n; col++)
        {
            int pivot = Enumerable.Range(col, n - col).MaxBy(r => Math.Abs(m[r, col]));
            if (Math.Abs(m[pivot, col]) <= 1e-12 * scale) return null;
            for (int j = 0; j <= n; j++) (m[col, j], m[pivot, j]) = (m[pivot, j], m[col, j]);
            for (int r = 0; r < n; r++)
            {
                if (r == col) continue;
                double f = m[r, col] / m[col, col];
                for (int j = col; j <= n; j++) m[r, j] -= f * m[col, j];
            }
        }

        return Enumerable.Range(0, n).Select(i => m[i, n] / m[i, i]).ToArray();
    }
}
