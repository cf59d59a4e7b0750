using PotNet.Engines;
using PotNet.Hardware.Generation;
using PotNet.Hardware.Simulation;
using PotNet.Model;

namespace PotNet.Hardware.Tests;

/// <summary>One small design of a dataflow, built once in Verilator, for the stream interface tests.</summary>
public abstract class StreamDesignFixture : IDisposable
{
    private readonly TempDirectory _temp = new();

    protected StreamDesignFixture(DataflowKind dataflow)
    {
        Model = SimulationTests.SmallNetwork(PeKind.Bac);
        DesignWriter.Write(Schedule.Create(Model, new AcceleratorConfig(PeKind.Bac, 4, 3, ZeroGating: true, Dataflow: dataflow)), _temp.Path);
        Design = Design.Load(_temp.Path);
        Design.Build(Simulator.Verilator);
        Images = HardwareNetworks.Images(Model, 12, seed: 3);
        var engine = new ReferenceEngine(Model);
        Expected = [.. Images.Select(i => engine.Infer(i.Span)).Select(l => (int[])[.. l, ReferenceEngine.ArgMax(l)])];
        Predicted = CycleModel.Predict(Design.Schedule);
    }

    public QuantizedModel Model { get; }

    public Design Design { get; }

    public IReadOnlyList<ReadOnlyMemory<byte>> Images { get; }

    /// <summary>Per image, the ReferenceEngine's logits and then the class.</summary>
    public IReadOnlyList<int[]> Expected { get; }

    public EventCounts Predicted { get; }

    public void Dispose()
    {
        _temp.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The <see cref="DataflowKind.Stream"/> design of the stream interface tests.</summary>
public sealed class StreamDataflowDesign() : StreamDesignFixture(DataflowKind.Stream);

/// <summary>The <see cref="DataflowKind.RowBuffer"/> design of the stream interface tests.</summary>
public sealed class RowBufferDataflowDesign() : StreamDesignFixture(DataflowKind.RowBuffer);

/// <summary>The stream interface tests on the <see cref="DataflowKind.Stream"/> design.</summary>
public class StreamInterfaceTests(StreamDataflowDesign fixture) : StreamInterfaceChecks(fixture), IClassFixture<StreamDataflowDesign>;

/// <summary>The stream interface tests on the <see cref="DataflowKind.RowBuffer"/> design.</summary>
public class RowBufferStreamInterfaceTests(RowBufferDataflowDesign fixture) : StreamInterfaceChecks(fixture), IClassFixture<RowBufferDataflowDesign>;

/// <summary>
/// The AXI4-Stream interface under a bench that is not steady: gaps in tvalid, tready dropped, a
/// misplaced tlast, a reset in the middle of an inference. Results stay bit-exact, and the counters
/// differ from the cycle model only by the cycles the bench held the stream.
/// </summary>
public abstract class StreamInterfaceChecks(StreamDesignFixture fixture)
{
    [Fact]
    public void GapsAndBackpressureChangeNothingButTheHeldCycles()
    {
        SimulationResult r = Simulate(new StreamStimulus(GapPercent: 30, StallPercent: 40, Seed: 5));
        AssertBitExact(r);
        Assert.False(r.FrameError);
        Assert.True(r.Stalls > 0, "the bench held the stream in no cycle");
        long steady = fixture.Predicted.Cycles * fixture.Images.Count;
        Assert.Equal(fixture.Predicted.Times(fixture.Images.Count) with { Cycles = steady + r.Stalls }, r.Counters);
        Assert.All(r.Images, i => Assert.Equal(fixture.Predicted.Cycles + i.Stalls, i.Cycles));
    }

    [Fact]
    public void AMisplacedTlastRaisesFrameErrorAndTheImagesStillCompute()
    {
        SimulationResult r = Simulate(new StreamStimulus(BadLastAt: 5));
        Assert.True(r.FrameError);
        AssertBitExact(r);
        Assert.Equal(fixture.Predicted.Times(fixture.Images.Count), r.Counters);
    }

    [Fact]
    public void AResetInTheMiddleOfAnInferenceLeavesTheNextImagesCorrect()
    {
        // After image 0's input, halfway through its passes; its misplaced tlast came before the reset, which clears frame_error.
        long middle = fixture.Model.Input.Size + ((fixture.Predicted.Cycles - fixture.Model.Input.Size) / 2);
        SimulationResult r = Simulate(new StreamStimulus(BadLastAt: 2, ResetAt: middle));
        Assert.False(r.FrameError);
        AssertBitExact(r);
        Assert.Equal(fixture.Predicted.Times(fixture.Images.Count), r.Counters);
        Assert.All(r.Images, i => Assert.Equal((fixture.Predicted.Cycles, 0L), (i.Cycles, i.Stalls)));
    }

    [Fact]
    public void WithoutTheResetTheSameStimulusReportsTheFrameError()
    {
        // The control of the test above: the misplaced tlast alone is seen.
        SimulationResult r = Simulate(new StreamStimulus(BadLastAt: 2));
        Assert.True(r.FrameError);
    }

    private SimulationResult Simulate(StreamStimulus stimulus) => fixture.Design.Simulate(Simulator.Verilator, fixture.Images, fixture.Expected, stimulus).Result;

    private void AssertBitExact(SimulationResult r)
    {
        Assert.Equal(fixture.Images.Count, r.Images.Count);
        for (int i = 0; i < r.Images.Count; i++)
        {
            Assert.Equal(fixture.Expected[i][..^1], r.Images[i].Logits);
            Assert.Equal(fixture.Expected[i][^1], r.Images[i].Class);
        }
    }
}
