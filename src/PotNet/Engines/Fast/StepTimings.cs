using System.Diagnostics;

namespace PotNet.Engines.Fast;

/// <summary>The parts of a step that <see cref="StepTimings"/> times separately.</summary>
internal enum StepPhase
{
    /// <summary>Gathering a weighted layer's im2col rows.</summary>
    Im2Col,

    /// <summary>The packed product (with the requantisation when it is fused into the product's epilogue).</summary>
    Product,

    /// <summary>What a weighted layer adds to its accumulators after the product: padding values, a residual source.</summary>
    Extras,

    /// <summary>Requantisation to u8 when it runs after the product.</summary>
    Requantize,

    /// <summary>A pool, or a residual add step.</summary>
    Other,
}

/// <summary>
/// Elapsed time per step and <see cref="StepPhase"/>, summed over the inferences run with a workspace that
/// holds it (<see cref="FastEngine"/>'s profile, for the benchmark's breakdown). A normal workspace holds
/// none, so inference pays a null test per phase.
/// </summary>
internal sealed class StepTimings(int steps)
{
    private static readonly int Phases = Enum.GetValues<StepPhase>().Length;
    private readonly long[] _ticks = new long[steps * Phases];
    private long _last;

    /// <summary>Starts the clock for the next <see cref="Lap"/>.</summary>
    public void Start() => _last = Stopwatch.GetTimestamp();

    /// <summary>Charges the time since the last <see cref="Start"/> or <see cref="Lap"/> to <paramref name="phase"/> of <paramref name="step"/>.</summary>
    public void Lap(int step, StepPhase phase)
    {
        long now = Stopwatch.GetTimestamp();
        _ticks[step * Phases + (int)phase] += now - _last;
        _last = now;
    }

    /// <summary>The time charged to <paramref name="phase"/> of <paramref name="step"/>.</summary>
    public TimeSpan Elapsed(int step, StepPhase phase) => Stopwatch.GetElapsedTime(0, _ticks[step * Phases + (int)phase]);
}
