using PotNet.Hardware.Energy;
using PotNet.Model;

namespace PotNet.Hardware.Tests.Energy;

public class ReuseTests
{
    [Theory]
    [InlineData(PeKind.Bac, 1, 1)]
    [InlineData(PeKind.Mac, 4, 3)]
    [InlineData(PeKind.Apot, 3, 5)]
    public void TheStreamDataflowReadsEachWeightOncePerOutputPositionAndEachTapOncePerGroup(PeKind pe, int p, int l)
    {
        QuantizedModel model = SimulationTests.SmallNetwork(pe);
        var schedule = Schedule.Create(model, new AcceleratorConfig(pe, p, l, ZeroGating: true));
        Reuse r = Reuse.Of(schedule);

        // Counted from the loop nest directly: a PE's word of L codes per valid channel, position and step.
        int bits = schedule.Format.Bits;
        long weightBits = schedule.Passes.Where(x => x.IsCompute).Sum(x => (long)x.Positions * x.OutChannels * x.Steps * l * bits);
        long reads = schedule.Passes.Sum(x => StreamDataflow.Issues(x).Sum(i => (long)Enumerable.Range(0, l).Count(lane => x.Lane(i, lane) >= 0)));
        Assert.Equal(weightBits, r.WeightBitsRead);
        Assert.Equal(reads, r.ActivationReads);
        Assert.Equal(model.ComputeLayers.Sum(c => (long)c.Weights.Codes.Length * bits), r.ModelWeightBits);
        Assert.Equal(model.Plan.Where(s => s.Layer is not Flatten).Sum(s => (long)s.Input.Size), r.LayerInputs);
        // Every weight is read at least once, and a convolution's many times.
        Assert.True(r.WeightFetches > 1, $"weight fetches {r.WeightFetches}");
    }

    [Theory]
    [InlineData(PeKind.Bac, 1, 1)]
    [InlineData(PeKind.Mac, 4, 3)]
    [InlineData(PeKind.Apot, 3, 5)]
    public void TheRowBufferDataflowReadsEachWeightAndEachInputRowOnce(PeKind pe, int p, int l)
    {
        QuantizedModel model = SimulationTests.SmallNetwork(pe);
        var schedule = Schedule.Create(model, new AcceleratorConfig(pe, p, l, ZeroGating: true, Dataflow: DataflowKind.RowBuffer));
        Reuse r = Reuse.Of(schedule);
        Assert.Equal(r.ModelWeightBits, r.WeightBitsRead);
        // Each loaded input row once, every channel of it: at most the layer's input.
        long loads = schedule.Passes.Sum(x => RowBufferDataflow.LoadBytes(RowBufferDataflow.Window(schedule.Config, x)));
        Assert.Equal(loads, r.ActivationReads);
        Assert.InRange(r.ActivationFetches, 0.5, 1.0);
    }
}
