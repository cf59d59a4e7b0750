using System.Globalization;

namespace PotNet.Hardware.Simulation;

/// <summary>
/// How the testbench drives the AXI4-Stream interface (its plusargs, see <c>rtl/potnet_tb.v</c>). The
/// default is the steady stream: tvalid whenever a beat is left, tready always high, tlast on each
/// image's last byte, no reset after the first.
/// </summary>
/// <param name="GapPercent">Share of cycles in which the bench withholds tvalid before a beat.</param>
/// <param name="StallPercent">Share of cycles in which the bench drops the output's tready.</param>
/// <param name="Seed">Seed of the bench's <c>$random</c> draws.</param>
/// <param name="BadLastAt">Image 0 carries tlast on this byte instead of its last (once); negative for none.</param>
/// <param name="ResetAt">Reset for two cycles at this cycle after the first reset, then stream every image again; negative for none.</param>
public sealed record StreamStimulus(int GapPercent = 0, int StallPercent = 0, int Seed = 1, int BadLastAt = -1, long ResetAt = -1)
{
    /// <summary>The steady stream.</summary>
    public static StreamStimulus Steady { get; } = new();

    /// <summary>The plusargs that select this stimulus (none for the steady stream).</summary>
    public IReadOnlyList<string> Plusargs()
    {
        var args = new List<string>();
        if (GapPercent != 0) args.Add(Arg("gaps", GapPercent));
        if (StallPercent != 0) args.Add(Arg("stall", StallPercent));
        if (GapPercent != 0 || StallPercent != 0) args.Add(Arg("seed", Seed));
        if (BadLastAt >= 0) args.Add(Arg("bad_last", BadLastAt));
        if (ResetAt >= 0) args.Add(Arg("reset_at", ResetAt));
        return args;
    }

    private static string Arg(string name, long value) => $"+{name}={value.ToString(CultureInfo.InvariantCulture)}";
}
