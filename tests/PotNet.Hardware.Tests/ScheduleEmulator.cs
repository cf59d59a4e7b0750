using System.Globalization;
using System.Numerics;
using PotNet.Engines;
using PotNet.Hardware.Generation;
using PotNet.Model;

namespace PotNet.Hardware.Tests;

/// <summary>
/// Runs a schedule from its ROM images' text, as the RTL walks them: addresses, codes, biases and
/// shifts decoded from the hex words, accumulation modulo 2^ACC_W, the hardware's clamped shifts,
/// two buffers. It checks the tables and their encoding without a simulator.
/// </summary>
internal static class ScheduleEmulator
{
    public static int[] Infer(Schedule s, ReadOnlySpan<byte> image)
    {
        int lanes = s.Config.Lanes, laneWidth = RomImages.AddressLaneWidth(s), bits = s.Format.Bits, acc = s.AccumulatorWidth;
        BigInteger[] addresses = Words(RomImages.Addresses(s));
        BigInteger[][] weights = [.. Enumerable.Range(0, s.Config.Parallel).Select(j => Words(RomImages.Weights(s, j)))];
        BigInteger[][] parameters = [.. Enumerable.Range(0, s.Config.Parallel).Select(j => Words(RomImages.Params(s, j)))];
        byte[][] buffers = [new byte[1 << s.AddressWidth], new byte[1 << s.AddressWidth]];
        image.CopyTo(buffers[0]);
        var logits = new int[s.Outputs];
        foreach (Pass pass in s.Passes)
        {
            byte[] source = buffers[pass.Source], target = buffers[1 - pass.Source];
            for (int p = 0; p < pass.Positions; p++)
            {
                for (int g = 0; g < pass.Groups; g++)
                {
                    var sums = new long[s.Config.Parallel];
                    for (int step = 0; step < pass.Steps; step++)
                    {
                        BigInteger word = addresses[s.AddressBase[pass.Index] + (p * pass.Steps) + step];
                        for (int l = 0; l < lanes; l++)
                        {
                            long entry = (long)Field(word, l * laneWidth, laneWidth);
                            bool inRange = (entry >> (laneWidth - 1)) != 0, inside = ((entry >> (laneWidth - 2)) & 1) != 0;
                            int x = inside ? source[entry & ((1L << s.AddressWidth) - 1)] : 0;
                            if (!inRange) continue;
                            if (!pass.IsCompute)
                            {
                                sums[0] = pass.Kind == PassKind.AvgPool ? sums[0] + x : Math.Max(sums[0], x);
                                continue;
                            }

                            for (int j = 0; j < s.Config.Parallel; j++)
                            {
                                int code = (int)Field(weights[j][s.WeightBase[pass.Index] + (g * pass.Steps) + step], l * bits, bits);
                                sums[j] += x * (long)s.Format.Decode(code);
                            }
                        }
                    }

                    if (!pass.IsCompute)
                    {
                        int shift = ((AvgPool2d?)(pass.Step.Layer as AvgPool2d))?.Shift ?? 0;
                        target[p] = (byte)Requantization.RoundingShift(sums[0], shift);
                        continue;
                    }

                    for (int j = 0; j < s.Config.Parallel && g * s.Config.Parallel + j < pass.OutChannels; j++)
                    {
                        BigInteger param = parameters[j][s.ParamBase[pass.Index] + g];
                        long bias = Signed(Field(param, 0, acc), acc);
                        int shift = (int)Signed(Field(param, acc, 8), 8);
                        int value = (int)Signed(new BigInteger(bias + sums[j]) & ((BigInteger.One << acc) - 1), acc);
                        int address = ((g * s.Config.Parallel) + j) * pass.Positions + p;
                        if (pass.Kind == PassKind.Logits) logits[address] = value;
                        else target[address] = Requantization.Requantize(value, shift);
                    }
                }
            }
        }

        return logits;
    }

    private static BigInteger[] Words(IEnumerable<string> lines) =>
        [.. lines.Select(l => BigInteger.Parse("0" + l, NumberStyles.HexNumber, CultureInfo.InvariantCulture))];

    private static BigInteger Field(BigInteger word, int offset, int width) => (word >> offset) & ((BigInteger.One << width) - 1);

    private static long Signed(BigInteger value, int width) => (long)(value >= BigInteger.One << (width - 1) ? value - (BigInteger.One << width) : value);
}
