using System.Numerics;
using PotNet.Hardware.Verilog;

namespace PotNet.Hardware.Generation;

/// <summary>
/// The ROM images ($readmemh, one hex word per line, lane 0 in the low bits) of a schedule: the
/// address ROM and, per PE, the weight ROM and the bias-and-shift ROM.
/// </summary>
internal static class RomImages
{
    /// <summary>Bits of one lane's address entry: {in range, inside, address}.</summary>
    public static int AddressLaneWidth(Schedule s) => s.AddressWidth + 2;

    /// <summary>Address ROM words: per pass, position, step.</summary>
    public static IEnumerable<string> Addresses(Schedule s)
    {
        int lanes = s.Config.Lanes, width = AddressLaneWidth(s);
        foreach (Pass pass in s.Passes)
        {
            for (int word = 0; word < pass.Positions * pass.Steps; word++)
            {
                BigInteger value = BigInteger.Zero;
                for (int l = 0; l < lanes; l++)
                {
                    int a = pass.Lanes[word * lanes + l];
                    long entry = a switch
                    {
                        Pass.Idle => 0,
                        Pass.Padding => 1L << (width - 1),
                        _ => (3L << (width - 2)) | (uint)a,
                    };
                    value |= new BigInteger(entry) << (l * width);
                }

                yield return VerilogLiteral.Hex(lanes * width, value);
            }
        }
    }

    /// <summary>Weight ROM words of PE <paramref name="pe"/>: per weighted pass, group, step; L codes each.</summary>
    public static IEnumerable<string> Weights(Schedule s, int pe)
    {
        int lanes = s.Config.Lanes, bits = s.Format.Bits;
        foreach (Pass pass in s.Passes.Where(p => p.IsCompute))
        {
            for (int g = 0; g < pass.Groups; g++)
            {
                for (int step = 0; step < pass.Steps; step++)
                {
                    BigInteger value = BigInteger.Zero;
                    for (int l = 0; l < lanes; l++) value |= new BigInteger(s.LaneCode(pass, pe, g, step, l)) << (l * bits);
                    yield return VerilogLiteral.Hex(lanes * bits, value);
                }
            }
        }
    }

    /// <summary>Parameter ROM words of PE <paramref name="pe"/>: per weighted pass and group, {shift (8 bits), bias (ACC_W bits)}.</summary>
    public static IEnumerable<string> Params(Schedule s, int pe)
    {
        int width = s.AccumulatorWidth;
        foreach (Pass pass in s.Passes.Where(p => p.IsCompute))
        {
            var layer = (PotNet.Model.ComputeLayer)pass.Step.Layer;
            for (int g = 0; g < pass.Groups; g++)
            {
                int channel = g * s.Config.Parallel + pe;
                bool valid = channel < pass.OutChannels;
                BigInteger bias = valid ? layer.Bias[channel] : 0;
                BigInteger shift = valid ? s.HardwareShift(pass, channel) : 0;
                BigInteger word = (VerilogLiteral.Modulo(shift, 8) << width) | VerilogLiteral.Modulo(bias, width);
                yield return VerilogLiteral.Hex(width + 8, word);
            }
        }
    }
}
