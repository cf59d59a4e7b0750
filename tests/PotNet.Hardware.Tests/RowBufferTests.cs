using CsCheck;
using PotNet.Model;

namespace PotNet.Hardware.Tests;

/// <summary>
/// The row-buffer dataflow's mechanism in C#, against the lane tables: the row loads put each input
/// element where <see cref="RowBufferDataflow.Slot"/> says, and the lane counters
/// (<see cref="RowBufferDataflow.Read"/>, what the RTL computes) then find there exactly the element
/// <see cref="Pass.Lane"/> names, for every pass of random networks (pruned ones, in zero-skipping
/// designs: the tap index added to each lane's start); and the cycle model's reuse.
/// </summary>
public class RowBufferTests
{
    private static readonly Gen<(int Seed, PeKind Pe, int Bits, AcceleratorConfig Config)> Designs =
        Gen.Select(Gen.Int, Gen.Int[0, 2], Gen.Int[2, 8], Gen.Int[1, 5], Gen.Int[1, 7], Gen.Bool)
            .Select((seed, kind, bits, p, l, gating) => (seed, (PeKind)kind, bits, new AcceleratorConfig((PeKind)kind, p, l, gating, Dataflow: DataflowKind.RowBuffer)));

    private static readonly Gen<(int Seed, PeKind Pe, int Bits, AcceleratorConfig Config)> SkippingDesigns =
        Designs.Select(d => d with { Config = d.Config with { ZeroSkipping = true } });

    private static QuantizedModel Network((int Seed, PeKind Pe, int Bits, AcceleratorConfig Config) d) =>
        HardwareNetworks.Create(d.Seed, ScheduleTests.FormatFor(d.Pe, d.Bits), pruned: d.Config.ZeroSkipping ? (d.Config.Parallel, d.Config.Lanes) : null);

    [Fact]
    public void TheLaneCountersFindInTheRowBufferWhatTheLaneTablesSay() => LanesFindTheirElements(Designs);

    [Fact]
    public void WithZeroSkippingTheTapIndexFindsInTheRowBufferWhatTheLaneTablesSay() => LanesFindTheirElements(SkippingDesigns);

    private static void LanesFindTheirElements(Gen<(int Seed, PeKind Pe, int Bits, AcceleratorConfig Config)> designs)
    {
        designs.Sample(d =>
        {
            var schedule = Schedule.Create(Network(d), d.Config);
            int parallel = d.Config.Parallel, lanes = d.Config.Lanes, depth = RowBufferDataflow.Depth(schedule);
            foreach (Pass pass in schedule.Passes)
            {
                RowWindow window = RowBufferDataflow.Window(d.Config, pass);
                PassWindow w = window.View;
                int[] loaded = RowBufferDataflow.RowsLoaded(window);
                var rows = new int[parallel, depth];
                int position = 0;
                for (int channel = 0; channel < w.Channels; channel++)
                {
                    int next = 0;
                    for (int oy = 0; oy < w.OutHeight; oy++)
                    {
                        // The row loads: every channel of a weighted pass's rows, a pool's one channel.
                        for (int r = next; r < next + loaded[oy]; r++)
                        {
                            for (int c = 0; c < window.InChannels; c++)
                            {
                                int stored = pass.IsCompute ? c : channel;
                                for (int x = 0; x < w.InWidth; x++)
                                {
                                    (int bank, int address) = RowBufferDataflow.Slot(d.Config, window, stored, r, x);
                                    Assert.InRange(address, 0, depth - 1);
                                    rows[bank, address] = (((stored * w.InHeight) + r) * w.InWidth) + x;
                                }
                            }
                        }

                        next += loaded[oy];
                        for (int column = 0; column < pass.PositionsPerRow; column++, position++)
                        {
                            for (int group = 0; group < pass.Groups; group++)
                            {
                                for (int step = 0; step < pass.GroupSteps(group); step++)
                                {
                                    var issue = new Issue(position, group, step);
                                    for (int l = 0; l < lanes; l++)
                                    {
                                        int expected = pass.Lane(issue, l);
                                        (int bank, int address) = RowBufferDataflow.Read(d.Config, pass, issue, l);
                                        Assert.Equal(expected < 0 ? expected : rows[bank, address], expected < 0 ? bank : expected);
                                    }
                                }
                            }
                        }
                    }
                }

                Assert.Equal(pass.Positions, position);
            }
        }, iter: 100);
    }

    [Fact]
    public void EachWeightIsReadOnceFromRomAndEachInputElementAtMostOnceFromTheBanks()
    {
        Designs.Sample(d =>
        {
            QuantizedModel model = HardwareNetworks.Create(d.Seed, ScheduleTests.FormatFor(d.Pe, d.Bits));
            var schedule = Schedule.Create(model, d.Config);
            EventCounts counts = CycleModel.Predict(schedule);
            EventCounts stream = CycleModel.Predict(Schedule.Create(model, d.Config with { Dataflow = DataflowKind.Stream }));

            // A weight is read once from ROM, except in a pass whose lanes are taps and that has more
            // than one position (the logits, or a convolution one column wide): there once per position.
            static long Weights(Pass p) => (long)p.OutChannels * ((ComputeLayer)p.Step.Layer).Geometry.FanIn;
            IEnumerable<Pass> weighted = schedule.Passes.Where(p => p.IsCompute);
            Assert.All(weighted.Where(p => p.Positions > 1 && !RowBufferDataflow.HoldsWeights(p)),
                p => Assert.True(p.Kind == PassKind.Logits || p.Window.OutWidth == 1, $"{p.Name} re-reads its weights"));
            Assert.Equal(weighted.Sum(p => Weights(p) * (RowBufferDataflow.HoldsWeights(p) ? 1 : p.Positions)), counts.WeightRomReads + counts.PeRomReads);
            Assert.Equal(counts.WeightRfWrites + counts.WeightRfReads, schedule.Passes.Where(RowBufferDataflow.HoldsWeights).Sum(p => p.Positions * Weights(p)));
            Assert.Equal(weighted.Where(p => p.Mapping == LaneMapping.Columns).Sum(Weights), counts.PeRomReads);

            // Each input element read at most once from the banks, into the row buffer, from which the lanes read what stream's lanes read.
            Assert.InRange(counts.ActReads, 0, schedule.Passes.Sum(p => (long)p.Step.Input.Size));
            Assert.Equal(counts.ActReads, counts.RowBufferWrites);
            Assert.Equal(stream.ActReads, counts.RowBufferReads);
            Assert.Equal(stream.ActWrites / d.Config.Lanes, counts.ActWrites);
            Assert.Equal(0, counts.TapRomReads);

            // The same products, results and pool updates, whatever the lanes map to.
            Assert.Equal((stream.PeOps, stream.GatedOps, stream.Requantizations, stream.PoolUpdates, stream.LogitWrites),
                (counts.PeOps, counts.GatedOps, counts.Requantizations, counts.PoolUpdates, counts.LogitWrites));
            foreach (((Pass pass, EventCounts c), (Pass _, EventCounts s)) in CycleModel.PredictByPass(schedule).Zip(CycleModel.PredictByPass(Schedule.Create(model, d.Config with { Dataflow = DataflowKind.Stream }))))
            {
                long loads = RowBufferDataflow.LoadCycles(RowBufferDataflow.Window(d.Config, pass));
                switch (pass.Mapping)
                {
                    case LaneMapping.Taps:
                        Assert.Equal(s.Cycles + loads, c.Cycles);
                        Assert.Equal(s.AccUpdates, c.AccUpdates);
                        break;
                    case LaneMapping.Columns:
                        // Each busy lane accumulates; after each group the next waits L + 1 cycles for the drain, and the last group's results take L cycles to leave.
                        Assert.Equal(c.PeOps + c.GatedOps, c.AccUpdates);
                        Assert.Equal(pass.IssueCycles + (((pass.Positions * pass.Groups) - 1) * (d.Config.Lanes + 1)) + Schedule.PipelineDepth + loads + d.Config.Lanes, c.Cycles);
                        Assert.Equal(((ComputeLayer)pass.Step.Layer).Geometry.FanIn, pass.Steps);
                        Assert.Equal((pass.Window.OutWidth + d.Config.Lanes - 1) / d.Config.Lanes * pass.Window.OutHeight, pass.Positions);
                        break;
                }
            }
        }, iter: 100);
    }
}
