using CsCheck;
using PotNet.Model;

namespace PotNet.Hardware.Tests;

/// <summary>
/// The row-buffer dataflow's mechanism in C#, against the lane tables: the row loads put each input
/// element where <see cref="RowBufferDataflow.Slot"/> says, and the lane counters
/// (<see cref="RowBufferDataflow.Read"/>, what the RTL computes) then find there exactly the element
/// <see cref="Pass.Lanes"/> names, for every pass of random networks; and the cycle model's reuse.
/// </summary>
public class RowBufferTests
{
    private static readonly Gen<(int Seed, PeKind Pe, int Bits, AcceleratorConfig Config)> Designs =
        Gen.Select(Gen.Int, Gen.Int[0, 2], Gen.Int[2, 8], Gen.Int[1, 5], Gen.Int[1, 7], Gen.Bool)
            .Select((seed, kind, bits, p, l, gating) => (seed, (PeKind)kind, bits, new AcceleratorConfig((PeKind)kind, p, l, gating, Dataflow: DataflowKind.RowBuffer)));

    [Fact]
    public void TheLaneCountersFindInTheRowBufferWhatTheLaneTablesSay()
    {
        Designs.Sample(d =>
        {
            var schedule = Schedule.Create(HardwareNetworks.Create(d.Seed, ScheduleTests.FormatFor(d.Pe, d.Bits)), d.Config);
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
                        for (int ox = 0; ox < w.OutWidth; ox++, position++)
                        {
                            for (int group = 0; group < pass.Groups; group++)
                            {
                                for (int step = 0; step < pass.Steps; step++)
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
            long weights = model.ComputeLayers.Sum(c => (long)c.Weights.Codes.Length);
            Assert.Equal(weights, counts.WeightRomReads);
            Assert.Equal(counts.WeightRfWrites + counts.WeightRfReads, schedule.Passes.Where(RowBufferDataflow.HoldsWeights)
                .Sum(p => (long)p.Positions * p.OutChannels * ((ComputeLayer)p.Step.Layer).Geometry.FanIn));
            Assert.InRange(counts.ActReads, 0, schedule.Passes.Sum(p => (long)p.Step.Input.Size));
            Assert.Equal(counts.ActReads, counts.RowBufferWrites);
            Assert.Equal(stream.ActReads, counts.RowBufferReads);
            Assert.Equal(stream.ActWrites / d.Config.Lanes, counts.ActWrites);
            Assert.Equal(0, counts.TapRomReads);
            Assert.Equal(stream with { Cycles = 0, TapRomReads = 0, ActReads = 0, ActWrites = 0, WeightRomReads = 0 },
                counts with { Cycles = 0, ActReads = 0, ActWrites = 0, WeightRomReads = 0, WeightRfReads = 0, WeightRfWrites = 0, RowBufferReads = 0, RowBufferWrites = 0 });
            long loads = schedule.Passes.Sum(p => RowBufferDataflow.LoadCycles(RowBufferDataflow.Window(d.Config, p)));
            Assert.Equal(stream.Cycles + loads, counts.Cycles);
        }, iter: 100);
    }
}
