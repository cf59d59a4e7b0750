using PotNet.Model;

namespace PotNet.Hardware;

/// <summary>
/// The <see cref="DataflowKind.RowBuffer"/> dataflow, written once. It issues the steps of
/// <see cref="StreamDataflow"/> in the same order (its <see cref="StreamDataflow.Issues"/>,
/// <see cref="Pass.Tap"/> and <see cref="StreamDataflow.Channel"/>), and adds the row loads
/// between output rows. Its loop nest, outermost first:
/// <code>
/// for channel (a pool's; once for a weighted pass)
///   for output row oy                               -- load the input rows it needs that the row buffer lacks:
///                                                   --   per row, per channel group, per column one cycle, P banks at once;
///                                                   --   with a fused max pool, per column its pk x pk window
///                                                   --   of the pool's input, one element a cycle, max per bank
///     for output column ox
///       for group of P output channels              -- param ROM word (bias, shift) per PE
///         for step of L taps                        -- one cycle: lane counters step by L taps
///           for lane in L, for PE in P              -- activation byte from the row buffer; code from the lane's
///                                                   --   weight ROM (first position) or its register file (later ones)
/// </code>
/// Where each operand lives and how often it is fetched (<see cref="Energy.StorageLevels"/>): a weight
/// code is read once per inference from its lane's weight ROM (P x L ROMs, one code wide); a
/// convolution that needs it again at every position keeps it in the lane's weight register file,
/// written once and read at every later position. Each input element is read once from single-copy
/// activation RAM (P banks, each written once per value) into the row buffer (P banks of k + stride input
/// rows of every channel group; a dense layer's whole input; a pool's one channel), from which the lanes
/// read their taps. The loads of an output row's rows run while the previous row's steps issue (the
/// stride rows past the window go to slots the window does not use). A max pool whose stride is its kernel and that a weighted layer reads has no pass
/// (<see cref="FusedPool"/>): the weighted pass's row loads take each window's maximum as they copy.
/// Lane counters (per lane the tap's kernel column and row, bank and channel
/// group, stepped by L taps in mixed radix) replace the tap ROM. A dense layer is read as a window
/// over its stored input: channels as the producer stored them, one row of all their positions, a
/// kernel as wide as the row.
/// </summary>
public static class RowBufferDataflow
{
    /// <summary>The rows of the input a pass's row buffer holds and how its lanes index it.</summary>
    public static RowWindow Window(AcceleratorConfig config, Pass pass)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(pass);
        PassWindow w = pass.Window;
        BankLayout input = pass.InputLayout;
        return pass.Step.Layer switch
        {
            Dense => Weighted(config, new PassWindow(1, input.Positions, 1, 0, 1, 1, 1), input.Channels, 1, input.Positions, Loads(pass, input.Positions)),
            ComputeLayer c => Weighted(config, w, c.Geometry.InChannels, c.Geometry.KernelHeight, c.Geometry.KernelWidth, Loads(pass, w.InWidth)),
            Pool2d pool => new RowWindow(w, 1, pool.Kernel, pool.Kernel, 1, 0, Loads(pass, w.InWidth)),
            Layer other => throw new InvalidOperationException($"a {other.TypeName} layer has no pass"),
        };
    }

    /// <summary>
    /// How a pass's row loads read a loaded row of <paramref name="width"/> elements: each element as it
    /// is stored, or, with a fused pool, the pool's window of it, pooled rows of the pool's width.
    /// </summary>
    private static RowLoad Loads(Pass pass, int width) => pass.Pool is { } pool
        ? new RowLoad(pool.Kernel, pool.SourceWidth, pool.Width)
        : new RowLoad(1, width, width);

    /// <summary>
    /// Input rows loaded for each output row (of each channel a pool walks): the rows the row's
    /// windows reach that are not loaded yet, loaded while the previous row's steps issue and, where
    /// those end first, before the row's own. Rows load in order, each into slot row mod
    /// <see cref="RowWindow.Slots"/>, so the window's k rows and the next window's new ones are all held.
    /// </summary>
    public static int[] RowsLoaded(RowWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        PassWindow w = window.View;
        var rows = new int[w.OutHeight];
        int next = 0;
        for (int oy = 0; oy < w.OutHeight; oy++)
        {
            int end = Math.Min((oy * w.Stride) - w.Padding + window.KernelHeight - 1, w.InHeight - 1);
            rows[oy] = Math.Max(0, end - next + 1);
            next = Math.Max(next, end + 1);
        }

        return rows;
    }

    /// <summary>
    /// Cycles of the row loads before each output row: a column of every channel group per cycle (with
    /// a fused pool, one cycle per element of each column's window), at least one (the check that
    /// nothing is missing).
    /// </summary>
    public static long LoadCycles(RowWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return window.View.Channels * RowsLoaded(window).Sum(rows => RowLoadCycles(window, rows));
    }

    /// <summary>Cycles of the row loads for one output row that loads <paramref name="rows"/> input rows (of one channel), if nothing overlapped them.</summary>
    internal static long RowLoadCycles(RowWindow window, int rows) => Math.Max(1L, RowLoadWork(window, rows));

    /// <summary>Load cycles of <paramref name="rows"/> input rows: a column of every channel group per cycle (with a fused pool, each element of its window).</summary>
    internal static long RowLoadWork(RowWindow window, int rows) => (long)rows * window.LoadGroups * window.View.InWidth * window.Load.WindowSize;

    /// <summary>Bytes the row loads read from the activation memories: every loaded row of every channel (with a fused pool, every element of its windows).</summary>
    public static long LoadBytes(RowWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return LoadWrites(window) * window.Load.WindowSize;
    }

    /// <summary>Bytes the row loads write into the row buffer: every loaded row of every channel (with a fused pool, the pooled elements).</summary>
    public static long LoadWrites(RowWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        return (long)window.View.Channels * RowsLoaded(window).Sum() * window.InChannels * window.View.InWidth;
    }

    /// <summary>
    /// Where the row loads read element (<paramref name="dy"/>, <paramref name="dx"/>) of the window of
    /// loaded element (<paramref name="channel"/>, <paramref name="row"/>, <paramref name="column"/>) of a
    /// pass (dy = dx = 0 without a fused pool), as the RTL's loader computes it: (bank, in-bank address)
    /// of the source buffer, channel group * N + row * row step + the column's pooled row and column
    /// (a dense layer's loaded row holds every pooled row) + dy * source width + dx.
    /// </summary>
    public static (int Bank, int Address) LoadRead(AcceleratorConfig config, Pass pass, int channel, int row, int column, int dy, int dx)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(pass);
        RowLoad load = Window(config, pass).Load;
        int cy = column / load.Columns, cx = column % load.Columns;
        int address = (channel / config.Parallel * pass.SourceLayout.Positions) + ((row + cy) * load.RowStep) + (cx * load.Pool) + (dy * load.SourceWidth) + dx;
        return (channel % config.Parallel, address);
    }

    /// <summary>
    /// Whether a weighted pass keeps its codes in the PEs' register files: its lanes are columns (one
    /// code per PE and step, broadcast) and it needs them at more than one tile. A pass whose lanes are
    /// taps (a dense layer, the logits) reads each code from its lane's ROM where it needs it.
    /// </summary>
    public static bool HoldsWeights(Pass pass)
    {
        ArgumentNullException.ThrowIfNull(pass);
        return pass.IsCompute && pass.Mapping == LaneMapping.Columns && pass.Positions > 1;
    }


    /// <summary>
    /// The lane counter digits of tap <paramref name="k"/> (a fan-in or window index): its kernel column
    /// and row, its row's offset from the window's top row (ky * W), its channel's bank and its channel
    /// group's row-buffer offset. A lane starts at the digits of the tap it takes at step 0, and adds
    /// the digits of the taps per step (L, or 1) at every step.
    /// </summary>
    public static LaneDigits Digits(RowWindow window, int parallel, int k)
    {
        ArgumentNullException.ThrowIfNull(window);
        int kw = window.KernelWidth, kh = window.KernelHeight, channel = k / (kw * kh);
        int ky = k / kw % kh;
        return new LaneDigits(k % kw, ky, ky * window.View.InWidth, channel % parallel, channel / parallel * window.GroupStep);
    }

    /// <summary>
    /// The tap index of step <paramref name="issue"/> of a zero-skipping pass, as its word stores it: the
    /// kernel column and row, bank and channel group of its first tap (<see cref="Pass.Unit"/> times
    /// the taps per step). Its offsets are derived (<see cref="Expand"/>).
    /// </summary>
    public static TapIndexDigits TapIndex(RowWindow window, int parallel, Pass pass, Issue issue)
    {
        ArgumentNullException.ThrowIfNull(window);
        ArgumentNullException.ThrowIfNull(pass);
        int k = pass.Unit(issue) * pass.TapsPerStep, kw = window.KernelWidth, kh = window.KernelHeight, channel = k / (kw * kh);
        return new TapIndexDigits(k % kw, k / kw % kh, channel % parallel, channel / parallel);
    }

    /// <summary>
    /// A tap index as the address unit widens it into a lane counter's digits: the row offset ky * W
    /// (without the padding's) and the channel group's offset group * k * W, derived by two multipliers
    /// rather than stored. Every lane adds it to its start (<see cref="Digits"/> of the tap it takes
    /// within a step) in one step of its counter, so that it reads what the counters would have reached.
    /// </summary>
    public static LaneDigits Expand(RowWindow window, TapIndexDigits index)
    {
        ArgumentNullException.ThrowIfNull(window);
        return new LaneDigits(index.Kx, index.Ky, index.Ky * window.View.InWidth, index.Bank, index.Group * window.GroupStep);
    }

    /// <summary>
    /// One step of a lane counter, as the RTL does it: <paramref name="digits"/> plus the digits of L
    /// (<paramref name="delta"/>), each digit carrying at most one into the next.
    /// </summary>
    public static LaneDigits Advance(RowWindow window, int parallel, LaneDigits digits, LaneDigits delta)
    {
        ArgumentNullException.ThrowIfNull(window);
        int w = window.View.InWidth;
        int kx = digits.Kx + delta.Kx, ky = digits.Ky + delta.Ky, rowOffset = digits.RowOffset + delta.RowOffset;
        if (kx >= window.KernelWidth)
        {
            kx -= window.KernelWidth;
            ky++;
            rowOffset += w;
        }

        int bank = digits.Bank + delta.Bank, group = digits.GroupOffset + delta.GroupOffset;
        if (ky >= window.KernelHeight)
        {
            ky -= window.KernelHeight;
            rowOffset -= window.KernelHeight * w;
            bank++;
        }

        if (bank >= parallel)
        {
            bank -= parallel;
            group += window.GroupStep;
        }

        return new LaneDigits(kx, ky, rowOffset, bank, group);
    }

    /// <summary>
    /// Where lane <paramref name="lane"/> reads at step <paramref name="issue"/>, as the RTL computes it
    /// from its counters: (row-buffer bank, address), or bank <see cref="Pass.Padding"/> or <see cref="Pass.Idle"/>.
    /// </summary>
    public static (int Bank, int Address) Read(AcceleratorConfig config, Pass pass, Issue issue, int lane)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(pass);
        RowWindow window = Window(config, pass);
        PassWindow w = window.View;
        int perRow = pass.PositionsPerRow, perChannel = w.OutHeight * perRow;
        int channel = issue.Position / perChannel, n = issue.Position % perChannel, oy = n / perRow;
        int ox = (n % perRow * pass.ColumnsPerPosition) + pass.LaneColumn(lane);
        int k = pass.Tap(issue, lane);
        if (ox >= w.OutWidth || k >= (pass.IsCompute ? ((ComputeLayer)pass.Step.Layer).Geometry.FanIn : window.KernelHeight * window.KernelWidth)) return (Pass.Idle, 0);
        LaneDigits d = Digits(window, config.Parallel, pass.LaneTap(lane));
        if (pass.Skips)
        {
            d = Advance(window, config.Parallel, d, Expand(window, TapIndex(window, config.Parallel, pass, issue)));
        }
        else
        {
            LaneDigits delta = Digits(window, config.Parallel, pass.TapsPerStep);
            for (int s = 0; s < issue.Step; s++) d = Advance(window, config.Parallel, d, delta);
        }
        int top = (oy * w.Stride) - w.Padding, left = (ox * w.Stride) - w.Padding;
        int row = top + d.Ky, column = left + d.Kx;
        if (row < 0 || row >= w.InHeight || column < 0 || column >= w.InWidth) return (Pass.Padding, 0);
        // The window's top row's slot, as the position counter keeps it: ((oy * stride - padding) mod slots) * W.
        int slots = window.Slots * w.InWidth, slot = (Modulo(top, window.Slots) * w.InWidth) + d.RowOffset;
        if (slot >= slots) slot -= slots;
        return (d.Bank + (channel % config.Parallel), d.GroupOffset + slot + column);
    }

    /// <summary>Where the row loads put input element (channel, row, column) of a pass: (row-buffer bank, address).</summary>
    public static (int Bank, int Address) Slot(AcceleratorConfig config, RowWindow window, int channel, int row, int column)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(window);
        int groupOffset = window.GroupStep == 0 ? 0 : channel / config.Parallel * window.GroupStep;
        return (channel % config.Parallel, groupOffset + (row % window.Slots * window.View.InWidth) + column);
    }

    /// <summary>Bytes the fullest row-buffer bank holds over the passes of <paramref name="schedule"/>.</summary>
    public static int Depth(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return Windows(schedule).Max(w => w.Depth);
    }

    /// <summary>Codes a PE's weight register file holds: the most groups x steps of a pass that keeps its weights (at least 1).</summary>
    public static int RegisterDepth(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return schedule.Passes.Where(HoldsWeights).Select(p => p.PositionSteps).DefaultIfEmpty(1).Max();
    }

    /// <summary>Bits of a lane counter's kernel row or column (XW), room for one carry: digits plus deltas stay below twice the kernel.</summary>
    public static int DigitWidth(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return Schedule.Bits((2L * Windows(schedule).Max(w => Math.Max(w.KernelHeight, w.KernelWidth))) - 1);
    }

    /// <summary>The row windows of <paramref name="schedule"/>'s passes that hold their weights (<see cref="HoldsWeights"/>).</summary>
    public static IEnumerable<RowWindow> HeldWindows(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return schedule.Passes.Where(HoldsWeights).Select(p => Window(schedule.Config, p));
    }

    /// <summary>The row windows of <paramref name="schedule"/>'s passes, in order.</summary>
    public static IEnumerable<RowWindow> Windows(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return schedule.Passes.Select(p => Window(schedule.Config, p));
    }

    /// <summary>Bits of the signed rows and columns (DW): corners, taps, loaded rows and the input's size.</summary>
    public static int CoordinateWidth(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        long extent = schedule.Passes.Select(p => Window(schedule.Config, p)).Max(r =>
        {
            PassWindow w = r.View;
            // A tile's lanes reach up to L - 1 columns past the row's last output column.
            return ((long)(Math.Max(w.OutHeight, w.OutWidth) + schedule.Config.Lanes) * w.Stride) + Math.Max(r.KernelHeight, r.KernelWidth) + w.Padding + Math.Max(w.InHeight, w.InWidth);
        });
        return Math.Max(DigitWidth(schedule), Schedule.Bits(extent)) + 1;
    }

    /// <summary>Bits of the row loads' window counters (PKW): a fused pool's kernel less one (at least 1).</summary>
    public static int PoolKernelWidth(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return Schedule.Bits(schedule.Passes.Max(p => Window(schedule.Config, p).Load.Pool) - 1);
    }

    /// <summary>Bits of the row loads' channel-group counter (LGW).</summary>
    public static int LoadGroupWidth(Schedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return Schedule.Bits(schedule.Passes.Max(p => Window(schedule.Config, p).LoadGroups) - 1);
    }

    /// <summary>(a mod m) in [0, m).</summary>
    internal static int Modulo(int a, int m) => ((a % m) + m) % m;

    private static RowWindow Weighted(AcceleratorConfig config, PassWindow view, int inChannels, int kh, int kw, RowLoad load)
    {
        int groups = (inChannels + config.Parallel - 1) / config.Parallel;
        return new RowWindow(view, inChannels, kh, kw, groups, RowWindow.SlotsOf(view, kh) * view.InWidth, load);
    }
}

/// <summary>
/// A pass as the row buffer sees it: the counters' view, the channels a row holds, the kernel, and
/// how the row buffer lays out its <see cref="Slots"/> rows: per bank, channel group g's rows start at
/// g * GroupStep, row r of the input sits in slot r mod Slots.
/// </summary>
/// <param name="View">Input and output rows and columns, stride, padding, channels walked (a pool's).</param>
/// <param name="InChannels">Channels of a loaded row (1 for a pool, which loads its one channel).</param>
/// <param name="KernelHeight">Rows of a window.</param>
/// <param name="KernelWidth">Columns of a window.</param>
/// <param name="LoadGroups">Channel groups a row load walks: ceil(channels / P), 1 for a pool.</param>
/// <param name="GroupStep">Row-buffer offset of one channel group (Slots * W; 0 for a pool).</param>
/// <param name="Load">How the row loads read a loaded element from the source buffer.</param>
public sealed record RowWindow(PassWindow View, int InChannels, int KernelHeight, int KernelWidth, int LoadGroups, int GroupStep, RowLoad Load)
{
    /// <summary>
    /// Rows a channel group's part of the row buffer holds: the window's k, and where there is a next
    /// output row, the stride rows it adds, which load while this row's steps read the window.
    /// </summary>
    public int Slots => SlotsOf(View, KernelHeight);

    /// <summary>Bytes of a row-buffer bank the pass uses.</summary>
    public int Depth => LoadGroups * Slots * View.InWidth;

    /// <summary>How far the window's top row's slot moves from one output row to the next (stride * W; 0 with one output row).</summary>
    public int SlotStep => (Slots - KernelHeight) * View.InWidth;

    /// <summary>The window's top row's slot offset at the first output row: (-padding mod Slots) * W.</summary>
    public int FirstSlot => RowBufferDataflow.Modulo(-View.Padding, Slots) * View.InWidth;

    internal static int SlotsOf(PassWindow view, int kernelHeight) => kernelHeight + (view.OutHeight > 1 ? view.Stride : 0);
}

/// <summary>
/// How the row loads read each element they write into the row buffer: the element as stored, or
/// (a fused max pool, <see cref="FusedPool"/>) the maximum of its pool window, read one window element
/// per cycle, dy outer, dx inner.
/// </summary>
/// <param name="Pool">The window's side: the pool's kernel, 1 without a fused pool.</param>
/// <param name="SourceWidth">Columns of a source row: the address step from one window row to the next.</param>
/// <param name="Columns">Loaded elements per pooled row: the loaded row's width, or a dense layer's pooled map's (its loaded row holds every pooled row).</param>
public sealed record RowLoad(int Pool, int SourceWidth, int Columns)
{
    /// <summary>Source elements read per loaded element.</summary>
    public int WindowSize => Pool * Pool;

    /// <summary>The source address step of a pooled row: <see cref="Pool"/> source rows.</summary>
    public int RowStep => Pool * SourceWidth;
}

/// <summary>A tap index word's digits (<see cref="RowBufferDataflow.TapIndex"/>).</summary>
/// <param name="Kx">Kernel column.</param>
/// <param name="Ky">Kernel row.</param>
/// <param name="Bank">The tap's channel's bank (channel mod P).</param>
/// <param name="Group">The tap's channel group (channel div P).</param>
public readonly record struct TapIndexDigits(int Kx, int Ky, int Bank, int Group);

/// <summary>A lane counter's value (see <see cref="RowBufferDataflow.Digits"/>).</summary>
/// <param name="Kx">Kernel column.</param>
/// <param name="Ky">Kernel row.</param>
/// <param name="RowOffset">The tap's row's offset from the window's top row, ky * W (see <see cref="RowBufferDataflow.Digits"/>).</param>
/// <param name="Bank">The tap's channel's bank (channel mod P).</param>
/// <param name="GroupOffset">Row-buffer offset of the tap's channel group.</param>
public readonly record struct LaneDigits(int Kx, int Ky, int RowOffset, int Bank, int GroupOffset);
