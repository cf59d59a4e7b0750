using PotNet.Data;

namespace PotNet.Training.Pruning;

/// <summary>
/// Prunes a trained, fake-quantised network in rounds: each round raises the target sparsity (linearly,
/// from the zeros the network already has to the final target), extends the mask by whole weight
/// columns of the accelerator's PE groups (<see cref="Columns"/>) with <see cref="LogPruner"/> or
/// <see cref="MagnitudePruner"/>, zeroes the pruned weights, then fine-tunes
/// with quantisation-aware training with the mask fixed (<see cref="Trainer.Mask"/>): a fresh Adam and
/// cosine learning rate per round (from the network's own rate or <see cref="PruningOptions.LearningRate"/>), batches seeded with the run's seed plus the round.
/// </summary>
public static class PruningRun
{
    /// <summary>
    /// Prunes <paramref name="network"/>, trained with <paramref name="training"/> (its format, batch,
    /// learning rate, shift and training images are used for fine-tuning).
    /// </summary>
    /// <exception cref="PotNetException">The network has no weight format, or the target is out of reach.</exception>
    public static PruningResult Run(
        QatNetwork network, TrainingOptions training, PruningOptions pruning, Dataset train, Dataset test,
        Action<EpochReport>? epochDone = null, Action<RoundReport>? roundDone = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(pruning);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        pruning.Validate();
        if (training.Format is null) throw new PotNetException("prune: the network has no weight format (a float run); prune a quantisation-aware one");

        network.SetQuantized(true);
        network.eval();
        network.Prepare();
        var mask = WeightMask.KeepAll(network);
        IReadOnlyList<Columns> columns = Columns.Of(network, pruning.Group, pruning.Lanes);
        IReadOnlyList<LayerSparsity> layers = LayerSparsity.Of(network, columns);
        double start = LayerSparsity.Total(layers);
        long weights = layers.Sum(l => l.Weights);
        using Calibration? calibration = pruning.Method == PruningMethod.Log ? new Calibration(train, pruning.CalibrationImages) : null;
        // A target at or below the zeros the network starts with prunes nothing, even when fine-tuning
        // later moves a few weights off the zero level.
        bool prunes = pruning.Sparsity > start;
        var rounds = new List<RoundReport>();
        var history = new List<EpochReport>();
        for (int round = 1; round <= pruning.Rounds; round++)
        {
            double target = pruning.Target(round, start);
            long targetZeros = (long)Math.Round(target * weights);
            double? increase = null;
            double? threshold = null;
            if (prunes && calibration is not null) increase = LogPruner.Prune(network, mask, columns, targetZeros, calibration);
            else if (prunes) threshold = MagnitudePruner.Prune(network, mask, columns, targetZeros);
            mask.Apply();
            network.Prepare();
            double afterPruning = LayerSparsity.Total(LayerSparsity.Of(network, columns));

            double? accuracy = null;
            if (pruning.EpochsPerRound > 0)
            {
                var options = training with
                {
                    FloatEpochs = 0, QatEpochs = pruning.EpochsPerRound, QatLearningRate = pruning.LearningRate ?? training.QatLearningRate, Seed = training.Seed + round,
                };
                var trainer = new Trainer(options, train, test, network) { Mask = mask };
                string phase = $"prune{round}";
                trainer.Run(report =>
                {
                    var relabelled = report with { Epoch = history.Count + 1, Phase = phase };
                    history.Add(relabelled);
                    accuracy = report.TestAccuracy;
                    epochDone?.Invoke(relabelled);
                });
            }
            else if (round == pruning.Rounds)
            {
                accuracy = Trainer.Evaluate(network, test).Accuracy;
            }

            network.eval();
            network.Prepare();
            layers = LayerSparsity.Of(network, columns);
            var report = new RoundReport(round, target, afterPruning, LayerSparsity.Total(layers), accuracy, layers, increase, threshold);
            rounds.Add(report);
            roundDone?.Invoke(report);
        }

        return new PruningResult(mask, start, rounds, history);
    }
}
