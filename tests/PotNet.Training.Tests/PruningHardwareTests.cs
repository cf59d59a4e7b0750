using PotNet.Hardware;
using PotNet.Hardware.Generation;
using PotNet.Hardware.Simulation;
using PotNet.Model;
using PotNet.Training.Pruning;
using Xunit.Abstractions;

namespace PotNet.Training.Tests;

/// <summary>A pruned model in the generated zero-skipping accelerator: bit-exact, and every pruned unit skipped.</summary>
[Collection(MnistGroup.Name)]
public sealed class PruningHardwareTests(MnistFixture mnist, ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("potnet-pruning-rtl-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_pruned_model_runs_bit_exact_in_the_zero_skipping_design_which_skips_every_unit_pruned()
    {
        TrainingOptions options = PruningNetworks.Options;
        QatNetwork network = PruningNetworks.Trained(mnist);
        var pruning = new PruningOptions { Method = PruningMethod.Log, Sparsity = 0.8, Rounds = 1, EpochsPerRound = 0, CalibrationImages = 256 };
        PruningResult result = PruningRun.Run(network, options, pruning, mnist.Train, PruningNetworks.Test(mnist));
        QuantizedModel model = TrainedModel.Export(network, options, result.History, PruningNetworks.Test(mnist), "mnist").Model;
        Assert.InRange(model.ComputeLayers.Sum(l => l.Weights.Sparsity * l.ParameterCount) / model.ComputeLayers.Sum(l => l.ParameterCount), 0.79, 0.81);

        // The pruner's units are the hardware's skip units: each group issues one step per unit with a non-zero code.
        var config = new AcceleratorConfig(PeKind.Bac, pruning.Group, pruning.Lanes, ZeroGating: true, Dataflow: DataflowKind.RowBuffer, ZeroSkipping: true);
        var schedule = Schedule.Create(model, config);
        IReadOnlyList<Columns> units = Columns.Of(network, pruning.Group, pruning.Lanes);
        Pass[] passes = [.. schedule.Passes.Where(p => p.IsCompute)];
        ComputeLayer[] layers = [.. model.ComputeLayers];
        Assert.Equal(layers.Length, passes.Length);
        long skipped = 0;
        for (int i = 0; i < layers.Length; i++)
        {
            Assert.Equal(passes[i].Mapping == LaneMapping.Taps ? pruning.Lanes : 1, units[i].Width);
            byte zero = layers[i].Weights.Format.ZeroCode;
            byte[] codes = layers[i].Weights.Codes.ToArray();
            for (int g = 0; g < units[i].Groups; g++)
            {
                int kept = Enumerable.Range(0, units[i].Units).Count(u => Enumerable.Range(g * units[i].Group, units[i].ChannelsIn(g))
                    .Any(co => codes.AsSpan((co * units[i].FanIn) + (u * units[i].Width), units[i].TapsIn(u)).ContainsAnyExcept(zero)));
                Assert.Equal(Math.Max(kept, 1), passes[i].GroupSteps(g));
                skipped += units[i].Units - passes[i].GroupSteps(g);
            }
        }

        Assert.True(skipped > 0, "the pruned model has units to skip");
        DesignWriter.Write(schedule, _dir);
        int size = mnist.Test.Height * mnist.Test.Width;
        ReadOnlyMemory<byte>[] images = [.. Enumerable.Range(0, 20).Select(i => mnist.Test.Images.Slice(i * size, size))];
        Verification v = Verifier.Run(Design.Load(_dir), images, Simulator.Verilator, lint: false);
        output.WriteLine($"{v.Images} images, {v.Mismatches.Count} mismatches, {v.PredictedCycles} cycles/inference, {skipped} units skipped per pass set, simulation {v.SimulationTime.TotalSeconds:F1} s");
        Assert.Empty(v.Mismatches);
        Assert.True(v.CountersMatch, "the RTL's counters equal the cycle model's");
        Assert.False(v.FrameError);
    }
}
