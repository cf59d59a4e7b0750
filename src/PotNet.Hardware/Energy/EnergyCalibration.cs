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
    public double DynamicPicojoules => Picojoules(Report.DynamicWatts);

    /// <summary>Measured dynamic energy per inference by component; null when the report has no breakdown.</summary>
    public IReadOnlyDictionary<string, double>? ComponentPicojoules =>
        Report.ComponentWatts?.ToDictionary(c => c.Key, c => Picojoules(c.Value), StringComparer.Ordinal);

    private double Picojoules(double watts) => watts * Cycles / (ClockMegahertz * 1e6) * 1e12;
}

/// <summary>One equation of a calibration: a design's measured energy (all of it, or one component's) and what the fitted table gives.</summary>
/// <param name="Design">The design.</param>
/// <param name="Component">The component, or null for the whole design.</param>
/// <param name="MeasuredPicojoules">Measured dynamic energy per inference.</param>
/// <param name="FittedPicojoules">The fitted table's dynamic energy per inference for the same events.</param>
public sealed record CalibrationRow(string Design, string? Component, double MeasuredPicojoules, double FittedPicojoules)
{
    /// <summary>(fitted - measured) / measured; 0 when both are 0.</summary>
    public double RelativeError => MeasuredPicojoules > 0 ? (FittedPicojoules - MeasuredPicojoules) / MeasuredPicojoules : FittedPicojoules > 0 ? double.PositiveInfinity : 0;
}

/// <summary>A calibrated table, what was fitted and how well it fits.</summary>
/// <param name="Table">The calibrated table.</param>
/// <param name="Factors">Per event kind: the factor its curve was scaled by, or, for a kind the base table prices at zero, the picojoules per event it was given.</param>
/// <param name="Rows">The equations fitted, with the fitted table's answer to each.</param>
/// <param name="Method">How the fit was made, in words.</param>
public sealed record Calibration(EnergyTable Table, IReadOnlyDictionary<EventKind, double> Factors, IReadOnlyList<CalibrationRow> Rows, string Method);

/// <summary>
/// Fits an energy table to measured power. Each event kind gets one unknown: a factor on its curve
/// (its shape, e.g. how energy grows with width, is kept), or, for a kind the base table prices at
/// zero (a clock cycle, a gated lane), a constant energy per event. When every report breaks its
/// energy down by component, each design gives one equation per component; otherwise one per design.
/// The unknowns minimise the sum of squared relative errors, none negative (Lawson and Hanson's
/// non-negative least squares). With fewer equations than unknowns, one factor scales every curve.
/// Static power becomes the mean measured static power.
/// </summary>
public static class EnergyCalibration
{
    /// <summary>Fits <paramref name="table"/> to <paramref name="measurements"/>; the result is named <paramref name="name"/>.</summary>
    public static Calibration Fit(EnergyTable table, IReadOnlyList<PowerMeasurement> measurements, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(measurements);
        if (measurements.Count == 0) throw new PotNetException("calibration: no power measurements");

        EventKind[] kinds = [.. Enum.GetValues<EventKind>().Where(k => measurements.Any(m => m.Events.Any(e => e.Kind == k && e.Count > 0)))];
        // A kind the table prices at zero everywhere it occurs is fitted as picojoules per event.
        bool[] absolute = [.. kinds.Select(k => measurements.All(m => m.Events.Where(e => e.Kind == k).Sum(table.Price) == 0))];
        double Column(IEnumerable<EnergyEvent> events, int k) =>
            events.Where(e => e.Kind == kinds[k]).Sum(e => absolute[k] ? e.Count : table.Price(e));

        bool byComponent = measurements.All(m => m.Report.ComponentWatts is not null);
        var equations = new List<(string Design, string? Component, IEnumerable<EnergyEvent> Events, double Measured)>();
        foreach (PowerMeasurement m in measurements)
        {
            if (!byComponent)
            {
                equations.Add((m.Name, null, m.Events, m.DynamicPicojoules));
                continue;
            }

            IReadOnlyDictionary<string, double> measured = m.ComponentPicojoules!;
            foreach (string component in measured.Keys.Union(m.Events.Select(e => e.Component)).Order(StringComparer.Ordinal))
            {
                equations.Add((m.Name, component, m.Events.Where(e => e.Component == component), measured.GetValueOrDefault(component)));
            }
        }

        double[][] a = [.. equations.Select(q => Enumerable.Range(0, kinds.Length).Select(k => Column(q.Events, k)).ToArray())];
        double[] b = [.. equations.Select(q => q.Measured)];
        // Relative errors: each equation divided by its measured energy (or, when that is 0, by the mean).
        double mean = b.Average();
        if (mean <= 0) throw new PotNetException("calibration: the measured dynamic energies are all zero");
        double[] weight = [.. b.Select(y => 1 / (y > 0 ? y : mean))];

        double[]? fitted = equations.Count >= kinds.Length
            ? NonNegativeLeastSquares([.. a.Select((row, j) => row.Select(x => x * weight[j]).ToArray())], [.. b.Select((y, j) => y * weight[j])])
            : null;
        string method;
        if (fitted is not null && fitted.Any(f => f > 0))
        {
            method = $"one unknown per event kind, non-negative least squares of the relative errors over {equations.Count} equations ({(byComponent ? "designs x components" : "designs")})";
        }
        else
        {
            // One factor on the kinds the table prices: minimises sum_j (s * model_j - measured_j)^2.
            double[] model = [.. measurements.Select(m => m.Events.Sum(table.Price))];
            double[] total = [.. measurements.Select(m => m.DynamicPicojoules)];
            double s = model.Zip(total, (x, y) => x * y).Sum() / model.Sum(x => x * x);
            fitted = [.. absolute.Select(abs => abs ? 0 : s)];
            method = $"one factor for every kind ({equations.Count} equations for {kinds.Length} unknowns)";
        }

        var factors = kinds.Select((k, i) => (k, i)).ToDictionary(x => x.k, x => fitted[x.i]);
        var curves = table.Curves.ToDictionary(c => c.Key, c =>
        {
            int i = Array.IndexOf(kinds, c.Key);
            if (i < 0) return c.Value;
            return absolute[i]
                ? new EnergyCurve(new PowerLaw([(1, fitted[i])]), "calibration", $"fitted: {fitted[i]:G6} pJ per event")
                : c.Value with { Curve = c.Value.Curve.Scale(fitted[i]), Source = "calibration", Note = $"{table.Name} x {fitted[i]:G6}" };
        });
        var sources = new Dictionary<string, string>(table.Sources, StringComparer.Ordinal)
        {
            ["calibration"] = $"Fitted by potnet energy calibrate ({method}) to {string.Join(", ", measurements.Select(m => $"{m.Name} ({m.Report.Source}, {m.ClockMegahertz} MHz)"))}, from {table.Name}.",
        };
        double staticMilliwatts = measurements.Average(m => m.Report.StaticWatts) * 1000;
        var calibrated = new EnergyTable(name ?? $"{table.Name}-calibrated", $"{table.Name} fitted to measured power reports.", sources, curves, staticMilliwatts, "calibration");
        CalibrationRow[] rows = [.. equations.Select(q => new CalibrationRow(q.Design, q.Component, q.Measured, q.Events.Sum(calibrated.Price)))];
        return new Calibration(calibrated, factors, rows, method);
    }

    /// <summary>
    /// min |A x - b| with x >= 0 (Lawson and Hanson, "Solving Least Squares Problems", 1974, ch. 23):
    /// move the variable whose gradient most wants to grow into the free set, solve on the free set,
    /// and step back along the segment while a free variable would turn negative. Null if a free set is singular.
    /// </summary>
    private static double[]? NonNegativeLeastSquares(double[][] a, double[] b)
    {
        int n = a[0].Length;
        var x = new double[n];
        var free = new bool[n];
        double Gradient(int j) => a.Select((row, r) => row[j] * (b[r] - Dot(row, x))).Sum();
        double tolerance = 1e-12 * Math.Sqrt(Enumerable.Range(0, n).Sum(j => Gradient(j) * Gradient(j)));
        for (int outer = 0; outer < 3 * n; outer++)
        {
            int[] bound = [.. Enumerable.Range(0, n).Where(j => !free[j])];
            if (bound.Length == 0) return x;
            int enter = bound.MaxBy(Gradient);
            if (Gradient(enter) <= tolerance) return x;
            free[enter] = true;
            while (free.Any(f => f))
            {
                int[] set = [.. Enumerable.Range(0, n).Where(j => free[j])];
                double[]? z = LeastSquares([.. a.Select(row => set.Select(j => row[j]).ToArray())], b);
                if (z is null) return null;
                if (z.All(v => v > 0))
                {
                    for (int i = 0; i < set.Length; i++) x[set[i]] = z[i];
                    break;
                }

                // Step from x toward z as far as every free variable stays non-negative; the one that
                // reaches zero first leaves the free set.
                int leave = Enumerable.Range(0, set.Length).Where(i => z[i] <= 0).MinBy(i => x[set[i]] / (x[set[i]] - z[i] + double.Epsilon));
                double alpha = x[set[leave]] / (x[set[leave]] - z[leave] + double.Epsilon);
                for (int i = 0; i < set.Length; i++) x[set[i]] += alpha * (z[i] - x[set[i]]);
                foreach (int j in set.Where((j, i) => i == leave || x[j] <= 0)) (x[j], free[j]) = (0, false);
            }
        }

        return x;
    }

    private static double Dot(double[] row, double[] x) => row.Select((v, i) => v * x[i]).Sum();

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
