using System.Globalization;
using System.Numerics;
using PotNet.Engines;
using PotNet.Hardware.Generation;
using PotNet.Model;

namespace PotNet.Hardware.Tests;

/// <summary>
/// Runs a schedule from its ROM images' text, as the RTL walks them: taps, codes, biases and shifts
/// decoded from the hex words, lane addresses from the address unit's counters, two banked buffers,
/// accumulation modulo 2^ACC_W, the hardware's clamped shifts. It checks the tables, their encoding
/// and the bank layout without a simulator.
/// </summary>
internal static class ScheduleEmulator
{
    public static int[] Infer(Schedule s, ReadOnlySpan<byte> image)
    {
        int lanes = s.Config.Lanes, parallel = s.Config.Parallel, bits = s.Format.Bits, acc = s.AccumulatorWidth;
        BigInteger[] taps = Words(RomImages.Taps(s));
        BigInteger[][] weights = [.. Enumerable.Range(0, parallel).Select(j => Words(RomImages.Weights(s, j)))];
        BigInteger[][] parameters = [.. Enumerable.Range(0, parallel).Select(j => Words(RomImages.Params(s, j)))];
        byte[][][] buffers = [.. Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, parallel).Select(_ => new byte[1 << s.BankAddressWidth]).ToArray())];
        for (int i = 0; i < image.Length; i++)
        {
            (int bank, int address) = s.InputLayout.Locate(i, parallel);
            buffers[0][bank][address] = image[i];
        }

        var logits = new int[s.Outputs];
        foreach (Pass pass in s.Passes)
        {
            byte[][] source = buffers[pass.Source], target = buffers[1 - pass.Source];
            var sums = new long[parallel];
            foreach (Issue issue in StreamDataflow.Issues(pass))
            {
                int p = issue.Position, g = issue.Group;
                if (issue.Step == 0) Array.Clear(sums);
                BigInteger word = taps[s.TapBase[pass.Index] + issue.Step];
                for (int l = 0; l < lanes; l++)
                {
                    (int bank, int address) = AddressUnit.Read(s, pass, Decode(s, word, l), p);
                    if (bank == Pass.Idle) continue;
                    int x = bank == Pass.Padding ? 0 : source[bank][address];
                    if (!pass.IsCompute)
                    {
                        sums[0] = pass.Kind == PassKind.AvgPool ? sums[0] + x : Math.Max(sums[0], x);
                        continue;
                    }

                    for (int j = 0; j < parallel; j++)
                    {
                        int code = (int)Field(weights[j][StreamDataflow.WeightWord(s, pass, issue)], l * bits, bits);
                        sums[j] += x * (long)s.Format.Decode(code);
                    }
                }

                if (issue.Step == pass.Steps - 1)
                {
                    if (!pass.IsCompute)
                    {
                        int shift = ((AvgPool2d?)(pass.Step.Layer as AvgPool2d))?.Shift ?? 0;
                        int positions = pass.Window.OutPositions;
                        (int bank, int address) = AddressUnit.Write(s, pass, p / positions, p % positions);
                        target[bank][address] = (byte)Requantization.RoundingShift(sums[0], shift);
                        continue;
                    }

                    for (int j = 0; j < parallel && StreamDataflow.Channel(s.Config, g, j) < pass.OutChannels; j++)
                    {
                        BigInteger param = parameters[j][StreamDataflow.ParamWord(s, pass, g)];
                        long bias = Signed(Field(param, 0, acc), acc);
                        int shift = (int)Signed(Field(param, acc, 8), 8);
                        int value = (int)Signed(new BigInteger(bias + sums[j]) & ((BigInteger.One << acc) - 1), acc);
                        int channel = StreamDataflow.Channel(s.Config, g, j);
                        if (pass.Kind == PassKind.Logits)
                        {
                            logits[channel] = value;
                            continue;
                        }

                        (int bank, int address) = AddressUnit.Write(s, pass, channel, p);
                        Assert.Equal(j, bank);
                        target[bank][address] = Requantization.Requantize(value, shift);
                    }
                }
            }
        }

        return logits;
    }

    /// <summary>Lane <paramref name="lane"/>'s entry of a tap ROM word: {valid, ky, kx, bank, offset}, offset in the low bits.</summary>
    private static Tap Decode(Schedule s, BigInteger word, int lane)
    {
        int kernel = s.KernelIndexWidth, bank = s.BankWidth, offset = s.BankAddressWidth;
        BigInteger entry = Field(word, lane * RomImages.TapLaneWidth(s), RomImages.TapLaneWidth(s));
        return new Tap(
            Field(entry, offset + bank + (2 * kernel), 1) == 1,
            (int)Field(entry, offset + bank + kernel, kernel),
            (int)Field(entry, offset + bank, kernel),
            (int)Field(entry, offset, bank),
            (int)Field(entry, 0, offset));
    }

    private static BigInteger[] Words(IEnumerable<string> lines) =>
        [.. lines.Select(l => BigInteger.Parse("0" + l, NumberStyles.HexNumber, CultureInfo.InvariantCulture))];

    private static BigInteger Field(BigInteger word, int offset, int width) => (word >> offset) & ((BigInteger.One << width) - 1);

    private static long Signed(BigInteger value, int width) => (long)(value >= BigInteger.One << (width - 1) ? value - (BigInteger.One << width) : value);
}
