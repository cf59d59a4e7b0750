namespace PotNet.Hardware.Energy;

/// <summary>
/// Energy as a function of a size (operand bits, memory bytes) through measured points, interpolated
/// on log-log axes: between two points <c>E = E1 (x / x1)^k</c>. Adders grow about linearly in width,
/// multipliers about quadratically (Horowitz's 8- and 32-bit figures give k = 0.87 and 1.98), SRAM
/// reads about with the square root of the size; a power law between measured points follows each.
/// Beyond the first or last point the nearest segment's exponent extrapolates; one point is a constant.
/// </summary>
public sealed class PowerLaw
{
    private readonly (double X, double Energy)[] _points;

    /// <summary>Creates the curve through <paramref name="points"/> (size, picojoules), sizes positive and distinct.</summary>
    public PowerLaw(IEnumerable<(double X, double Energy)> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        _points = points.OrderBy(p => p.X).ToArray();
        if (_points.Length == 0) throw new ArgumentException("a curve needs at least one point", nameof(points));
        if (_points.Any(p => p.X <= 0 || p.Energy < 0 || !double.IsFinite(p.Energy)))
        {
            throw new ArgumentException("sizes must be positive and energies finite and not negative", nameof(points));
        }

        if (_points.Select(p => p.X).Distinct().Count() != _points.Length) throw new ArgumentException("sizes must be distinct", nameof(points));
    }

    /// <summary>The points, by size.</summary>
    public IReadOnlyList<(double X, double Energy)> Points => _points;

    /// <summary>The energy at size <paramref name="x"/>, in picojoules.</summary>
    public double At(double x)
    {
        if (x <= 0) throw new ArgumentOutOfRangeException(nameof(x), x, "size must be positive");
        if (_points.Length == 1) return _points[0].Energy;
        int i = 0;
        while (i < _points.Length - 2 && x > _points[i + 1].X) i++;
        (double x1, double e1) = _points[i];
        (double x2, double e2) = _points[i + 1];
        // A power law cannot pass through zero: there, interpolate linearly.
        if (e1 == 0 || e2 == 0) return Math.Max(0, e1 + (e2 - e1) * (x - x1) / (x2 - x1));
        double k = Math.Log(e2 / e1) / Math.Log(x2 / x1);
        return e1 * Math.Pow(x / x1, k);
    }

    /// <summary>The same curve with every energy multiplied by <paramref name="factor"/>.</summary>
    public PowerLaw Scale(double factor) => new(_points.Select(p => (p.X, p.Energy * factor)));
}
