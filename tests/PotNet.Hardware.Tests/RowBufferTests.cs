using System.Numerics;
using CsCheck;
using PotNet.Hardware.Generation;
using PotNet.Model;

namespace PotNet.Hardware.Tests;

/// <summary>
/// The row-buffer dataflow's mechanism in C#, against the lane tables: the row loads put each input
/// element where <see cref="RowBufferDataflow.Slot"/> says, and the lane counters
/// (<see cref="RowBufferDataflow.Read"/>, what the RTL computes) then find there exactly the element
/// <see cref="Pass.Lane"/> names, even with the next output row's rows already loaded, for every pass
/// of random networks (pruned ones, in zero-skipping designs: the tap index added to each lane's
/// start); and the cycle model's reuse.
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
            var random = new Random(d.Seed);
            foreach (Pass pass in schedule.Passes)
            {
                RowWindow window = RowBufferDataflow.Window(d.Config, pass);
                PassWindow w = window.View;
                int pool = pass.Pool?.Kernel ?? 1;

                // The source buffer as the producer stored the pass's input: every element a distinct value.
                BankLayout stored = pass.SourceLayout;
                long[] values = [.. Enumerable.Range(0, stored.Size).Select(i => (long)i).OrderBy(_ => random.Next())];
                var banks = new long[parallel, 1 << schedule.BankAddressWidth];
                for (int i = 0; i < stored.Size; i++)
                {
                    (int bank, int address) = stored.Locate(i, parallel);
                    banks[bank, address] = values[i];
                }

                // What lane table entry e names: the element, or with a fused pool the maximum of its pooled element's window.
                long Named(int e)
                {
                    if (pass.Pool is not { } fused) return values[e];
                    int n = pass.InputLayout.Positions, channel = e / n, py = e % n / fused.Width, px = e % n % fused.Width;
                    return Enumerable.Range(0, pool * pool).Max(k => values[(((channel * fused.SourceHeight) + (py * pool) + (k / pool)) * fused.SourceWidth) + (px * pool) + (k % pool)]);
                }

                int[] loaded = RowBufferDataflow.RowsLoaded(window);
                var rows = new long[parallel, depth];
                long reads = 0, writes = 0;
                int position = 0;
                for (int channel = 0; channel < w.Channels; channel++)
                {
                    int next = 0;

                    // The row loads of output row oy: every channel of a weighted pass's rows, a pool's one channel; each element's window of a fused pool, max per bank.
                    void Load(int oy)
                    {
                        for (int r = next; r < next + loaded[oy]; r++)
                        {
                            for (int c = 0; c < window.InChannels; c++)
                            {
                                int source = pass.IsCompute ? c : channel;
                                for (int x = 0; x < w.InWidth; x++)
                                {
                                    long max = long.MinValue;
                                    for (int dy = 0; dy < pool; dy++)
                                    {
                                        for (int dx = 0; dx < pool; dx++, reads++)
                                        {
                                            (int readBank, int readAddress) = RowBufferDataflow.LoadRead(d.Config, pass, source, r, x, dy, dx);
                                            Assert.Equal(source % parallel, readBank);
                                            Assert.InRange(readAddress, 0, stored.Depth(parallel) - 1);
                                            max = Math.Max(max, banks[readBank, readAddress]);
                                        }
                                    }

                                    (int bank, int address) = RowBufferDataflow.Slot(d.Config, window, source, r, x);
                                    Assert.InRange(address, 0, depth - 1);
                                    rows[bank, address] = max;
                                    writes++;
                                }
                            }
                        }

                        next += loaded[oy];
                    }

                    Load(0);
                    for (int oy = 0; oy < w.OutHeight; oy++)
                    {
                        // The next row's loads run beside this row's steps: here all of them first, the most they can overwrite.
                        if (oy + 1 < w.OutHeight) Load(oy + 1);
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
                                        Assert.Equal(expected < 0 ? expected : Named(expected), expected < 0 ? bank : rows[bank, address]);
                                    }
                                }
                            }
                        }
                    }
                }

                Assert.Equal(pass.Positions, position);
                Assert.Equal((RowBufferDataflow.LoadBytes(window), RowBufferDataflow.LoadWrites(window)), (reads, writes));
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

            // The pools fused into the row loads are the max pools whose stride is their kernel and which a weighted layer reads; stream keeps every pool's pass.
            var byName = CycleModel.PredictByPass(Schedule.Create(model, d.Config with { Dataflow = DataflowKind.Stream })).ToDictionary(p => p.Pass.Name);
            IReadOnlyList<(Pass Pass, EventCounts Counts)> fusedPools = [.. byName.Values.Where(p => schedule.Passes.All(q => q.Name != p.Pass.Name))];
            Assert.Equal(fusedPools.Select(p => p.Pass.Name), schedule.Passes.Where(p => p.Pool is not null).Select(p => p.Pool!.Name));
            Assert.All(fusedPools, p => Assert.True(p.Pass.Step.Layer is MaxPool2d pool && pool.Stride == pool.Kernel, p.Pass.Name));

            // Each input element read at most once from the banks (a fused pool's input: each element in its windows), into the row buffer, from which the lanes read what stream's lanes read.
            Assert.InRange(counts.ActReads, 0, schedule.Passes.Sum(p => (long)p.SourceLayout.Size));
            Assert.Equal(stream.ActReads - fusedPools.Sum(p => p.Counts.ActReads), counts.RowBufferReads);
            Assert.Equal((stream.ActWrites / d.Config.Lanes) - fusedPools.Sum(p => p.Counts.ActWrites / d.Config.Lanes), counts.ActWrites);
            Assert.Equal(0, counts.TapRomReads);

            // The same products, results and (but the fused pools') pool updates, whatever the lanes map to.
            Assert.Equal((stream.PeOps, stream.GatedOps, stream.Requantizations, stream.PoolUpdates - fusedPools.Sum(p => p.Counts.PoolUpdates), stream.LogitWrites),
                (counts.PeOps, counts.GatedOps, counts.Requantizations, counts.PoolUpdates, counts.LogitWrites));
            foreach ((Pass pass, EventCounts c) in CycleModel.PredictByPass(schedule))
            {
                EventCounts s = byName[pass.Name].Counts;
                RowWindow rows = RowBufferDataflow.Window(d.Config, pass);
                long loads = RowBufferDataflow.LoadCycles(rows);
                // The loads take at least a cycle per output row, and all their cycles where no row follows another (one output row).
                long checks = (long)rows.View.Channels * rows.View.OutHeight, firstLoads = rows.View.OutHeight == 1 ? loads : checks;
                int window = pass.Pool is { } pool ? pool.Kernel * pool.Kernel : 1;
                Assert.Equal(c.RowBufferWrites * window, c.ActReads);
                Assert.Equal(pass.Pool is null ? 0 : c.ActReads, c.LoadMaxes);
                switch (pass.Mapping)
                {
                    case LaneMapping.Taps:
                        Assert.InRange(c.Cycles, s.Cycles + firstLoads, s.Cycles + loads);
                        Assert.Equal(s.AccUpdates, c.AccUpdates);
                        break;
                    case LaneMapping.Columns:
                        // Each busy lane accumulates; the drain runs beside the next group, which waits only where
                        // it has fewer than L steps (its last step at least L cycles after the previous group's),
                        // and the last group's results take L cycles to leave.
                        Assert.Equal(c.PeOps + c.GatedOps, c.AccUpdates);
                        long fastest = pass.IssueCycles + Schedule.PipelineDepth + d.Config.Lanes;
                        long waits = (long)pass.Positions * Enumerable.Range(0, pass.Groups).Sum(g => (long)Math.Max(0, d.Config.Lanes - pass.GroupSteps(g)));
                        Assert.InRange(c.Cycles, fastest + checks, fastest + loads + waits);
                        if (rows.View.OutHeight == 1 && waits == 0) Assert.Equal(fastest + loads, c.Cycles);
                        Assert.Equal(c.Requantizations, c.ResultWrites);
                        Assert.Equal(((ComputeLayer)pass.Step.Layer).Geometry.FanIn, pass.Steps);
                        Assert.Equal((pass.Window.OutWidth + d.Config.Lanes - 1) / d.Config.Lanes * pass.Window.OutHeight, pass.Positions);
                        break;
                }
            }
        }, iter: 100);
    }

    [Fact]
    public void ATapIndexWordIsReadOnceFromRomWhereItsPassHoldsItsWeightsAndEveryFieldFitsItsWidths()
    {
        SkippingDesigns.Sample(d =>
        {
            var schedule = Schedule.Create(Network(d), d.Config);
            EventCounts counts = CycleModel.Predict(schedule);
            Pass[] weighted = [.. schedule.Passes.Where(p => p.IsCompute)], held = [.. weighted.Where(RowBufferDataflow.HoldsWeights)];

            // A word per issued step; a pass that holds its weights reads its words from the ROM at its first tile only.
            Assert.Equal(weighted.Sum(p => p.IssueCycles), counts.TapIndexReads + counts.TapIndexRfReads);
            Assert.Equal(weighted.Sum(p => RowBufferDataflow.HoldsWeights(p) ? p.PositionSteps : p.IssueCycles), counts.TapIndexReads);
            Assert.Equal(held.Sum(p => p.PositionSteps), counts.TapIndexRfWrites);

            // Every field fits the ROM word's width, and a held pass's the register file's (where it is not kept there, it is 0).
            foreach (Pass pass in weighted)
            {
                foreach (Issue issue in StreamDataflow.PositionIssues(pass, 0))
                {
                    foreach (TapIndexField field in TapIndexFields.All)
                    {
                        int bits = RowBufferDataflow.HoldsWeights(pass) ? TapIndexFields.HeldBits(schedule, field) : RtlWidths.Resolve(schedule, field.Width);
                        Assert.InRange(field.Value(schedule, pass, issue), BigInteger.Zero, (BigInteger.One << bits) - 1);
                    }
                }
            }
        }, iter: 100);
    }
}
