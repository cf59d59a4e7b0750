using PotNet.Hardware;
using PotNet.Hardware.Generation;
using PotNet.Hardware.Simulation;
using PotNet.Model;
using PotNet.Training.Pruning;
using Xunit.Abstractions;

namespace PotNet.Training.Tests;

/// <summary>A pruned model in the generated zero-gated accelerator: bit-exact, and its zeros gated.</summary>
[Collection(MnistGroup.Name)]
public sealed class PruningHardwareTests(MnistFixture mnist, ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("potnet-pruning-rtl-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_pruned_model_runs_bit_exact_in_the_zero_gated_design()
    {
        TrainingOptions options = PruningNetworks.Options;
        QatNetwork network = PruningNetworks.Trained(mnist);
        var pruning = new PruningOptions { Method = PruningMethod.Log, Sparsity = 0.8, Rounds = 1, EpochsPerRound = 0, CalibrationImages = 256 };
        PruningResult result = PruningRun.Run(network, options, pruning, mnist.Train, PruningNetworks.Test(mnist));
        QuantizedModel model = TrainedModel.Export(network, options, result.History, PruningNetworks.Test(mnist), "mnist").Model;
        Assert.InRange(model.ComputeLayers.Sum(l => l.Weights.Sparsity * l.ParameterCount) / model.ComputeLayers.Sum(l => l.ParameterCount), 0.79, 0.81);

        var config = new AcceleratorConfig(PeKind.Bac, 8, 8, ZeroGating: true);
        DesignWriter.Write(Schedule.Create(model, config), _dir);
        int size = mnist.Test.Height * mnist.Test.Width;
        ReadOnlyMemory<byte>[] images = [.. Enumerable.Range(0, 20).Select(i => mnist.Test.Images.Slice(i * size, size))];
        Verification v = Verifier.Run(Design.Load(_dir), images, Simulator.Verilator, lint: false);
        output.WriteLine($"{v.Images} images, {v.Mismatches.Count} mismatches, {v.PredictedCycles} cycles/inference, gated {v.Measured.GatedOps} of {v.Measured.GatedOps + v.Measured.PeOps} lane ops, simulation {v.SimulationTime.TotalSeconds:F1} s");
        Assert.Empty(v.Mismatches);
        Assert.True(v.CountersMatch, "the RTL's counters equal the cycle model's");
        Assert.False(v.FrameError);
        // The convolutions, where most lane operations are, keep more of their weights than fc1; still a large share is gated.
        Assert.True(v.Measured.GatedOps > 0.3 * (v.Measured.GatedOps + v.Measured.PeOps), $"gated {v.Measured.GatedOps}, performed {v.Measured.PeOps}");
    }
}
