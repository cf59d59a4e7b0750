using System.Diagnostics;
using PotNet.Data;
using PotNet.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PotNet.Training;

/// <summary>
/// Float pre-training, then quantisation-aware fine-tuning, with Adam and a cosine learning rate per
/// phase. Deterministic for a seed: the initial weights come from torch's generator seeded with it,
/// the batches from <see cref="TrainingBatches"/>. After each epoch it measures the test accuracy and,
/// given a path, writes a <see cref="Checkpoint"/> from which <see cref="Run"/> can resume.
/// </summary>
public sealed class Trainer
{
    private readonly TrainingOptions _options;
    private readonly Dataset _train;
    private readonly Dataset _test;
    private readonly List<EpochReport> _history = [];
    private readonly List<EpochReport> _initialHistory = [];
    private ScalarSafeAdam? _optimizer;
    private bool _optimizerQat;
    private int _epochsDone;

    /// <summary>
    /// Builds the network of <paramref name="options"/>, its weights drawn from the seed, or continues
    /// training <paramref name="network"/> (built for the same options; pruning's fine-tuning rounds).
    /// </summary>
    public Trainer(TrainingOptions options, Dataset train, Dataset test, QatNetwork? network = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        if (options.FloatEpochs < 0 || options.QatEpochs < 0) throw new PotNetException("epochs: must not be negative");
        if (options.BatchSize < 1) throw new PotNetException("batch size: must be at least 1");
        if (options.ScaleInterval < 1) throw new PotNetException("scale interval: must be at least 1");
        _options = options;
        _train = options.TrainImages is int n ? train.Take(Math.Min(n, train.Count)) : train;
        _test = test;
        manual_seed(options.Seed);
        Network = network ?? new QatNetwork(Architectures.Create(options.Model), _ => options.Format, options.Rounding, options.PerChannel);
        if (Network.Architecture.Input != new Shape(1, train.Height, train.Width))
        {
            throw new PotNetException($"{train.Name}: images are 1x{train.Height}x{train.Width}, model '{options.Model}' takes {Network.Architecture.Input}");
        }
    }

    /// <summary>The network being trained.</summary>
    public QatNetwork Network { get; }

    /// <summary>Weights held at zero while training (gradients masked, weights re-zeroed after each step); null: none.</summary>
    public Pruning.WeightMask? Mask { get; set; }

    /// <summary>The reports of the epochs done so far.</summary>
    public IReadOnlyList<EpochReport> History => _history;

    /// <summary>The settings of the run this one started from (<see cref="Initialize"/>); empty if none.</summary>
    public IReadOnlyDictionary<string, string> InitialSettings { get; private set; } = new Dictionary<string, string>();

    /// <summary>The reports of the run this one started from (<see cref="Initialize"/>), then this run's.</summary>
    public IReadOnlyList<EpochReport> Lineage => [.. _initialHistory, .. _history];

    /// <summary>
    /// Continues from a checkpoint of this same run (same settings): its weights, running maxima,
    /// optimiser state and epochs done.
    /// </summary>
    /// <exception cref="PotNetException">The checkpoint's settings differ from this run's.</exception>
    public void Resume(string path)
    {
        var (checkpoint, loadOptimizer) = Checkpoint.Load(path, Network);
        SortedDictionary<string, string> expected = _options.Describe();
        foreach (string key in expected.Keys.Union(checkpoint.Settings.Keys))
        {
            string? mine = expected.GetValueOrDefault(key), theirs = checkpoint.Settings.GetValueOrDefault(key);
            if (mine != theirs) throw new PotNetException($"{path}: settings.{key}: the checkpoint has '{theirs}', this run '{mine}'");
        }

        _epochsDone = checkpoint.EpochsDone;
        _history.Clear();
        _history.AddRange(checkpoint.History);
        _optimizer = CreateOptimizer();
        _optimizerQat = _epochsDone > _options.FloatEpochs;
        loadOptimizer(_optimizer);
    }

    /// <summary>Starts from another run's weights and running maxima (a float checkpoint, typically); its optimiser state is not used.</summary>
    /// <exception cref="PotNetException">The checkpoint is of another model.</exception>
    public void Initialize(string path)
    {
        var (checkpoint, _) = Checkpoint.Load(path, Network);
        if (checkpoint.Settings.GetValueOrDefault("model") != _options.Model)
        {
            throw new PotNetException($"{path}: settings.model: the checkpoint is of '{checkpoint.Settings.GetValueOrDefault("model")}', this run trains '{_options.Model}'");
        }

        _initialHistory.Clear();
        _initialHistory.AddRange(checkpoint.History);
        InitialSettings = checkpoint.Settings;
    }

    /// <summary>
    /// Trains the remaining epochs, calling <paramref name="epochDone"/> after each and writing a
    /// checkpoint to <paramref name="checkpointPath"/> (if given); <paramref name="stopAfter"/> stops
    /// early after that many epochs in all (to test resuming). The test accuracy is measured after every
    /// epoch, or with <paramref name="testEachEpoch"/> false after the last one only (each measurement is
    /// a pass over the test set, in float64). Leaves the network in evaluation mode, fake-quantised once
    /// the float epochs are done if the run has a weight format, with its exponents prepared.
    /// </summary>
    public void Run(Action<EpochReport>? epochDone = null, string? checkpointPath = null, int? stopAfter = null, bool testEachEpoch = true)
    {
        int total = Math.Min(_options.TotalEpochs, stopAfter ?? int.MaxValue);
        for (int epoch = _epochsDone; epoch < total; epoch++)
        {
            bool qat = epoch >= _options.FloatEpochs;
            Network.SetQuantized(qat);
            // Each phase starts with a fresh optimiser; a resumed run continues the saved one.
            if (_optimizer is null || _optimizerQat != qat)
            {
                _optimizer = CreateOptimizer();
                _optimizerQat = qat;
            }

            (int inPhase, int phaseEpochs, double rate) = qat
                ? (epoch - _options.FloatEpochs, _options.QatEpochs, _options.QatLearningRate)
                : (epoch, _options.FloatEpochs, _options.FloatLearningRate);
            double lr = rate * 0.5 * (1 + Math.Cos(Math.PI * inPhase / phaseEpochs));
            foreach (var group in _optimizer.ParamGroups) group.LearningRate = lr;

            var clock = Stopwatch.StartNew();
            (double loss, double trainAccuracy) = TrainEpoch(_optimizer, epoch);
            double seconds = clock.Elapsed.TotalSeconds;
            Network.Prepare();
            double? testAccuracy = testEachEpoch || epoch == total - 1 ? Evaluate(Network, _test).Accuracy : null;
            var report = new EpochReport(epoch + 1, qat ? "qat" : "float", lr, loss, trainAccuracy, testAccuracy, seconds);
            _history.Add(report);
            _epochsDone = epoch + 1;
            if (checkpointPath is not null) SaveCheckpoint(checkpointPath);
            epochDone?.Invoke(report);
        }

        // With no QAT epochs, the float network is fake-quantised as it is (post-training quantisation).
        Network.SetQuantized(_options.Format is not null && _epochsDone >= _options.FloatEpochs);
        Network.eval();
        Network.Prepare();
    }

    /// <summary>Writes the run's state to <paramref name="path"/>.</summary>
    public void SaveCheckpoint(string path)
    {
        var checkpoint = new Checkpoint
        {
            Settings = _options.Describe(),
            EpochsDone = _epochsDone,
            History = [.. _history],
            RunningMax = Network.RunningMaxima(),
        };
        checkpoint.Save(path, Network, _optimizer ?? CreateOptimizer());
    }

    /// <summary>
    /// Classifies every image of <paramref name="data"/> with <paramref name="network"/> as it stands
    /// (float or fake-quantised, exponents as prepared), in float64, so that a fake-quantised network
    /// computes its integers exactly. Argmax ties go to the lowest index, as in the ReferenceEngine.
    /// </summary>
    public static Engines.Evaluation Evaluate(QatNetwork network, Dataset data)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        network.eval();
        var predictions = new List<int>(data.Count);
        using (no_grad())
        {
            foreach (TrainingBatches.Batch batch in TrainingBatches.InOrder(data, 500, ScalarType.Float64))
            {
                using var scope = NewDisposeScope();
                Tensor images = batch.Tensors().Images;
                predictions.AddRange(network.forward(images).argmax(1).data<long>().ToArray().Select(p => (int)p));
            }
        }

        ReadOnlySpan<byte> labels = data.Labels.Span;
        int correct = 0;
        for (int i = 0; i < predictions.Count; i++)
        {
            if (predictions[i] == labels[i]) correct++;
        }

        return new Engines.Evaluation(data.Count, correct, predictions);
    }

    private (double Loss, double Accuracy) TrainEpoch(ScalarSafeAdam optimizer, int epoch)
    {
        Network.train();
        double lossSum = 0;
        long correct = 0, seen = 0;
        int done = 0;
        foreach (TrainingBatches.Batch batch in TrainingBatches.Shuffled(_train, _options.BatchSize, _options.Seed, epoch, _options.Shift))
        {
            using var scope = NewDisposeScope();
            (Tensor images, Tensor labels) = batch.Tensors();
            if (Network.Quantized) Network.Prepare(chooseScales: done % _options.ScaleInterval == 0);
            optimizer.zero_grad();
            Tensor logits = Network.forward(images);
            Tensor loss = nn.functional.cross_entropy(logits, labels);
            loss.backward();
            Mask?.MaskGradients();
            optimizer.step();
            Mask?.Apply();
            long n = labels.shape[0];
            lossSum += loss.to_type(ScalarType.Float64).item<double>() * n;
            correct += logits.argmax(1).eq(labels).sum().item<long>();
            seen += n;
            done++;
        }

        return (lossSum / seen, (double)correct / seen);
    }

    private ScalarSafeAdam CreateOptimizer() => new ScalarSafeAdam(Network.parameters(), _options.FloatLearningRate);
}
