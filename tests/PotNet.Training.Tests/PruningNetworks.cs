using PotNet.Data;
using PotNet.Formats;
using static TorchSharp.torch;

namespace PotNet.Training.Tests;

/// <summary>
/// A small pot4 lenet5 trained briefly on a few MNIST images, as pruning's starting point: trained once
/// per test run, each test gets a fresh copy of its weights and running maxima.
/// </summary>
internal static class PruningNetworks
{
    private static readonly Lock Gate = new();
    private static (Dictionary<string, Tensor> State, double[] RunningMax)? trained;

    public static TrainingOptions Options { get; } = new()
    {
        Model = "lenet5",
        Format = WeightFormat.Pot(4),
        PerChannel = true,
        FloatEpochs = 1,
        QatEpochs = 1,
        TrainImages = 1000,
        BatchSize = 64,
        FloatLearningRate = 2e-3,
        QatLearningRate = 1e-3,
        Seed = 11,
    };

    /// <summary>The test images the pruning tests evaluate on (few, to stay fast).</summary>
    public static Dataset Test(MnistFixture mnist) => mnist.Test.Take(300);

    /// <summary>A copy of the network after one float and one quantisation-aware epoch, fake-quantised and prepared.</summary>
    public static QatNetwork Trained(MnistFixture mnist)
    {
        lock (Gate)
        {
            if (trained is null)
            {
                var trainer = new Trainer(Options, mnist.Train, Test(mnist));
                trainer.Run();
                trained = (
                    trainer.Network.state_dict().ToDictionary(p => p.Key, p => p.Value.detach().clone().DetachFromDisposeScope()),
                    trainer.Network.WeightedLayers.Select(l => l.RunningMax).ToArray());
            }

            var network = new QatNetwork(Architectures.Create(Options.Model), _ => Options.Format, Options.Rounding, Options.PerChannel);
            network.load_state_dict(trained.Value.State);
            foreach (var (layer, max) in network.WeightedLayers.Zip(trained.Value.RunningMax)) layer.RunningMax = max;
            network.SetQuantized(true);
            network.eval();
            network.Prepare();
            return network;
        }
    }
}
