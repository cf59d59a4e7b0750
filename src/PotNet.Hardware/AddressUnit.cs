using PotNet.Model;

namespace PotNet.Hardware;

/// <summary>
/// The address unit, in C#: what the RTL computes from its counters and the pass's tap table. Per
/// position it has the window's corner (oy*stride, ox*stride) and the in-bank address of that corner
/// (plus, for a pool, its channel's bank and channel group); per lane it adds the tap's offset, and
/// compares the window's origin (the corner less the padding) plus the tap's kernel row and column
/// with the input's height and width to detect padding. The
/// schedule's <see cref="Pass.Lane"/> (from <see cref="ConvGeometry.Gather"/> and
/// <see cref="Pool2d.Windows"/>) say what each lane must read; tests check that this reproduces them.
/// </summary>
public static class AddressUnit
{
    /// <summary>
    /// The tap table of a weighted pass, <c>[step * L + lane]</c>: tap k = (channel, ky, kx) of the fan-in,
    /// its channel's bank and in-bank start in <paramref name="source"/> (a dense layer's input is the
    /// flattened tensor as its producer stored it).
    /// </summary>
    internal static Tap[] ComputeTaps(ConvGeometry geometry, PassWindow window, BankLayout source, int parallel, int lanes, int steps)
    {
        int kernel = geometry.KernelHeight * geometry.KernelWidth;
        var taps = new Tap[steps * lanes];
        for (int k = 0; k < taps.Length; k++)
        {
            if (k >= geometry.FanIn)
            {
                taps[k] = Tap.Idle;
                continue;
            }

            int channel = k / kernel, ky = k % kernel / geometry.KernelWidth, kx = k % geometry.KernelWidth;
            (int bank, int start) = source.Locate(channel * window.InHeight * window.InWidth, parallel);
            taps[k] = Entry(window, bank, start, ky, kx);
        }

        return taps;
    }

    /// <summary>The tap table of a pool pass: the window's elements; bank and channel come from the counters.</summary>
    internal static Tap[] PoolTaps(Pool2d pool, PassWindow window, int lanes, int steps)
    {
        var taps = new Tap[steps * lanes];
        for (int k = 0; k < taps.Length; k++)
        {
            taps[k] = k < pool.Kernel * pool.Kernel ? Entry(window, 0, 0, k / pool.Kernel, k % pool.Kernel) : Tap.Idle;
        }

        return taps;
    }

    /// <summary>
    /// What lane <paramref name="lane"/> reads at step <paramref name="step"/> of output position
    /// <paramref name="position"/>: (bank, in-bank address) of the source buffer, or bank
    /// <see cref="Pass.Padding"/> or <see cref="Pass.Idle"/> (address 0).
    /// </summary>
    public static (int Bank, int Address) Read(Schedule schedule, Pass pass, int position, int step, int lane)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(pass);
        return Read(schedule, pass, pass.Taps[step * schedule.Config.Lanes + lane], position);
    }

    /// <summary>What a lane with tap entry <paramref name="tap"/> reads at output position <paramref name="position"/> (see the other overload).</summary>
    public static (int Bank, int Address) Read(Schedule schedule, Pass pass, Tap tap, int position)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(pass);
        if (!tap.Valid) return (Pass.Idle, 0);
        PassWindow w = pass.Window;
        int channel = position / w.OutPositions, n = position % w.OutPositions;
        int rowStart = n / w.OutWidth * w.Stride, columnStart = n % w.OutWidth * w.Stride;
        int row = rowStart - w.Padding + tap.Ky, column = columnStart - w.Padding + tap.Kx;
        if (row < 0 || row >= w.InHeight || column < 0 || column >= w.InWidth) return (Pass.Padding, 0);
        // The channel a pool walks (0 for a weighted pass, whose taps carry their channels).
        (int bank, int start) = pass.SourceLayout.Locate(channel * pass.SourceLayout.Positions, schedule.Config.Parallel);
        int corner = start + (rowStart * w.InWidth) + columnStart;
        return (tap.Bank + bank, Wrap(corner + tap.Offset, schedule.BankAddressWidth));
    }

    /// <summary>Where output <paramref name="channel"/> of output position <paramref name="position"/> (within its channel for a pool) is written.</summary>
    public static (int Bank, int Address) Write(Schedule schedule, Pass pass, int channel, int position)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(pass);
        return pass.TargetLayout.Locate((channel * pass.TargetLayout.Positions) + position, schedule.Config.Parallel);
    }

    private static Tap Entry(PassWindow window, int bank, int start, int ky, int kx) =>
        new(true, ky, kx, bank, start + ((ky - window.Padding) * window.InWidth) + kx - window.Padding);

    private static int Wrap(int value, int width) => value & ((1 << width) - 1);
}
