using PotNet.Hardware.Energy;
using PotNet.Hardware.Generation;

namespace PotNet.Hardware.Tests.Energy;

public class DesignEventsTests
{
    [Theory]
    [InlineData(PeKind.Bac, 1, 1)]
    [InlineData(PeKind.Mac, 4, 3)]
    [InlineData(PeKind.Apot, 3, 5)]
    public void MemoryEventsAreTheCountersPricedAtTheirMemorysSize(PeKind pe, int p, int l)
    {
        var schedule = Schedule.Create(SimulationTests.SmallNetwork(pe), new AcceleratorConfig(pe, p, l, ZeroGating: true));
        IReadOnlyList<EnergyEvent> events = DesignEvents.Of(schedule);
        EventCounts counts = CycleModel.Predict(schedule);
        RomShape taps = RomShape.Of(schedule)["taps"];
        long memory = ActivationMemories.Of(schedule).Bytes;

        EnergyEvent[] tapReads = [.. events.Where(e => e.Component == DesignEvents.Control && e.MemoryBytes == taps.Bytes && e.Bits == taps.Width)];
        Assert.Equal(counts.TapRomReads, tapReads.Sum(e => e.Count));
        EnergyEvent[] activations = [.. events.Where(e => e.Component == DesignEvents.ActivationBuffers)];
        Assert.All(activations, e => Assert.Equal(memory, e.MemoryBytes));
        Assert.Equal(counts.ActReads, activations.Where(e => e.Kind == EventKind.MemoryRead).Sum(e => e.Count));
        Assert.Equal(counts.ActWrites, activations.Where(e => e.Kind == EventKind.MemoryWrite).Sum(e => e.Count));
        Assert.Equal((long)schedule.InputSize * l, activations.Single(e => e.Layer == "input").Count);
    }

    [Theory]
    [InlineData(PeKind.Bac, 1, 1)]
    [InlineData(PeKind.Mac, 4, 3)]
    public void TheRowBufferDesignPricesItsRowBufferRegistersAndSingleCopyBanks(PeKind pe, int p, int l)
    {
        var schedule = Schedule.Create(SimulationTests.SmallNetwork(pe), new AcceleratorConfig(pe, p, l, ZeroGating: true, Dataflow: DataflowKind.RowBuffer));
        IReadOnlyList<EnergyEvent> events = DesignEvents.Of(schedule);
        EventCounts counts = CycleModel.Predict(schedule);
        long Count(string component, EventKind kind) => events.Where(e => e.Component == component && e.Kind == kind).Sum(e => e.Count);
        Assert.Equal(counts.RowBufferReads, Count(DesignEvents.RowBuffer, EventKind.MemoryRead));
        Assert.Equal(counts.RowBufferWrites, Count(DesignEvents.RowBuffer, EventKind.MemoryWrite));
        Assert.Equal(counts.WeightRfReads, Count(DesignEvents.WeightRegisters, EventKind.MemoryRead));
        Assert.Equal(counts.WeightRfWrites, Count(DesignEvents.WeightRegisters, EventKind.MemoryWrite));
        Assert.All(events.Where(e => e.Component == DesignEvents.RowBuffer), e => Assert.Equal(RowBufferDataflow.Depth(schedule), e.MemoryBytes));
        Assert.All(events.Where(e => e.Component == DesignEvents.WeightRom), e => Assert.Equal(schedule.Format.Bits, e.Bits));
        // The input is written once, into one copy of its bank.
        Assert.Equal(schedule.InputSize, events.Single(e => e.Layer == "input" && e.Component == DesignEvents.ActivationBuffers).Count);
    }
}
