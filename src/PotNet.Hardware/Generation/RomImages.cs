using System.Numerics;
using PotNet.Hardware.Verilog;

namespace PotNet.Hardware.Generation;

/// <summary>
/// The ROM images ($readmemh, one hex word per line, lane 0 in the low bits) of a schedule: the
/// tap ROM and, per PE, the weight ROM and the bias-and-shift ROM.
/// </summary>
internal static class RomImages
{
    /// <summary>Every ROM image of <paramref name="s"/>'s design: (path in the design, words).</summary>
    public static IEnumerable<(string Path, IEnumerable<string> Words)> Of(Schedule s)
    {
        ArgumentNullException.ThrowIfNull(s);
        AcceleratorConfig c = s.Config;
        switch (c.Dataflow)
        {
            case DataflowKind.Stream:
                yield return (DesignFiles.TapRom, Taps(s));
                for (int pe = 0; pe < c.Parallel; pe++) yield return (DesignFiles.WeightRom(pe), Weights(s, pe));
                break;
            case DataflowKind.RowBuffer:
                for (int pe = 0; pe < c.Parallel; pe++)
                {
                    for (int lane = 0; lane < c.Lanes; lane++) yield return (DesignFiles.LaneWeightRom(pe, lane), LaneWeights(s, pe, lane));
                    yield return (DesignFiles.PeWeightRom(pe), PeWeights(s, pe));
                }

                yield return (DesignFiles.TapIndexRom, TapIndex(s));
                break;
        }

        for (int pe = 0; pe < c.Parallel; pe++) yield return (DesignFiles.ParamRom(pe), Params(s, pe));
    }

    /// <summary>Bits of one lane's tap entry: {valid, ky, kx, bank, offset} (offset in the low bits).</summary>
    public static int TapLaneWidth(Schedule s) => 1 + (2 * s.KernelIndexWidth) + s.BankWidth + s.BankAddressWidth;

    /// <summary>Tap ROM words: per pass, step; L taps each (the offset modulo 2^BW).</summary>
    public static IEnumerable<string> Taps(Schedule s)
    {
        int lanes = s.Config.Lanes, width = TapLaneWidth(s), kernel = s.KernelIndexWidth, bank = s.BankWidth, offset = s.BankAddressWidth;
        foreach (Pass pass in s.Passes)
        {
            for (int step = 0; step < pass.Steps; step++)
            {
                BigInteger value = BigInteger.Zero;
                for (int l = 0; l < lanes; l++)
                {
                    Tap tap = pass.Taps[step * lanes + l];
                    if (!tap.Valid) continue;
                    BigInteger entry = BigInteger.One;
                    entry = (entry << kernel) | tap.Ky;
                    entry = (entry << kernel) | tap.Kx;
                    entry = (entry << bank) | tap.Bank;
                    entry = (entry << offset) | VerilogLiteral.Modulo(tap.Offset, offset);
                    value |= entry << (l * width);
                }

                yield return VerilogLiteral.Hex(lanes * width, value);
            }
        }
    }

    /// <summary>
    /// Weight ROM words of PE <paramref name="pe"/>: per weighted pass, the steps of one output
    /// position in issue order (<see cref="StreamDataflow.WeightWord"/>); L codes each.
    /// </summary>
    public static IEnumerable<string> Weights(Schedule s, int pe)
    {
        int lanes = s.Config.Lanes, bits = s.Format.Bits;
        foreach (Pass pass in TapPasses(s))
        {
            foreach (Issue issue in StreamDataflow.PositionIssues(pass, 0))
            {
                BigInteger value = BigInteger.Zero;
                for (int l = 0; l < lanes; l++) value |= new BigInteger(s.LaneCode(pass, pe, issue, l)) << (l * bits);
                yield return VerilogLiteral.Hex(lanes * bits, value);
            }
        }
    }

    /// <summary>
    /// Weight ROM words of lane <paramref name="lane"/> of PE <paramref name="pe"/> (<see cref="DataflowKind.RowBuffer"/>):
    /// the lane's codes of <see cref="Weights"/>, one per word, at the same index.
    /// </summary>
    public static IEnumerable<string> LaneWeights(Schedule s, int pe, int lane)
    {
        int bits = s.Format.Bits;
        foreach (Pass pass in TapPasses(s))
        {
            foreach (Issue issue in StreamDataflow.PositionIssues(pass, 0)) yield return VerilogLiteral.Hex(bits, s.LaneCode(pass, pe, issue, lane));
        }
    }

    /// <summary>
    /// Broadcast weight ROM words of PE <paramref name="pe"/> (<see cref="DataflowKind.RowBuffer"/>): per pass
    /// whose lanes are columns, per group and step (<see cref="StreamDataflow.WeightWord"/>), the PE's one
    /// code, which all its lanes take; a single zero code when no pass needs one.
    /// </summary>
    public static IEnumerable<string> PeWeights(Schedule s, int pe)
    {
        int bits = s.Format.Bits;
        if (s.PeWeightDepth == 0) yield return VerilogLiteral.Hex(bits, s.Format.ZeroCode);
        foreach (Pass pass in s.Passes.Where(p => p.IsCompute && p.Mapping == LaneMapping.Columns))
        {
            foreach (Issue issue in StreamDataflow.PositionIssues(pass, 0)) yield return VerilogLiteral.Hex(bits, s.LaneCode(pass, pe, issue, 0));
        }
    }

    /// <summary>
    /// Tap index ROM words (<see cref="DataflowKind.RowBuffer"/>): per zero-skipping pass, the steps of
    /// one position in issue order (the address is the weight ROMs' offset), <see cref="TapIndexFields"/>
    /// packed low field first; a single zero word when no pass skips.
    /// </summary>
    public static IEnumerable<string> TapIndex(Schedule s)
    {
        int width = TapIndexFields.Width(s);
        if (s.TapIndexDepth == 0) yield return VerilogLiteral.Hex(width, BigInteger.Zero);
        foreach (Pass pass in s.Passes.Where(p => p.Skips))
        {
            foreach (Issue issue in StreamDataflow.PositionIssues(pass, 0))
            {
                BigInteger word = BigInteger.Zero;
                int at = 0;
                foreach (TapIndexField field in TapIndexFields.All)
                {
                    int bits = RtlWidths.Resolve(s, field.Width);
                    word |= VerilogLiteral.Modulo(field.Value(s, pass, issue), bits) << at;
                    at += bits;
                }

                yield return VerilogLiteral.Hex(width, word);
            }
        }
    }

    /// <summary>The weighted passes whose lanes are taps: the ones whose codes the lanes' (or, in <see cref="DataflowKind.Stream"/>, the PEs' L-code) weight ROMs hold.</summary>
    private static IEnumerable<Pass> TapPasses(Schedule s) => s.Passes.Where(p => p.IsCompute && p.Mapping == LaneMapping.Taps);

    /// <summary>Parameter ROM words of PE <paramref name="pe"/>: per weighted pass and group, {shift (8 bits), bias (ACC_W bits)}.</summary>
    public static IEnumerable<string> Params(Schedule s, int pe)
    {
        int width = s.AccumulatorWidth;
        foreach (Pass pass in s.Passes.Where(p => p.IsCompute))
        {
            var layer = (PotNet.Model.ComputeLayer)pass.Step.Layer;
            for (int g = 0; g < pass.Groups; g++)
            {
                int channel = StreamDataflow.Channel(s.Config, g, pe);
                bool valid = channel < pass.OutChannels;
                BigInteger bias = valid ? layer.Bias[channel] : 0;
                BigInteger shift = valid ? s.HardwareShift(pass, channel) : 0;
                BigInteger word = (VerilogLiteral.Modulo(shift, 8) << width) | VerilogLiteral.Modulo(bias, width);
                yield return VerilogLiteral.Hex(width + 8, word);
            }
        }
    }
}
