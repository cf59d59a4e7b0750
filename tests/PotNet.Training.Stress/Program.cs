using System.Diagnostics;
using PotNet.Data;
using PotNet.Formats;
using PotNet.Training;
using PotNet.Training.Pruning;

// PotNet's own training and pruning code under GC pressure: QAT runs of lenet5 and pruning runs of
// them, one after another for the time given, while a second thread forces a full collection and
// runs the finalizers without pause. A native object that the GC frees while libtorch still reads it
// (a temporary Scalar or Tensor) aborts or crashes the process, so the caller runs this as a child
// process and checks its exit code. A run starts while the time given has not passed. Usage:
// PotNet.Training.Stress MNIST_DIRECTORY SECONDS
if (args.Length != 2 || !int.TryParse(args[1], out int seconds) || seconds < 1)
{
    Console.Error.WriteLine("usage: PotNet.Training.Stress MNIST_DIRECTORY SECONDS");
    return 2;
}

Dataset train = Dataset.Load(args[0], DatasetSplit.Train).Take(600);
Dataset test = Dataset.Load(args[0], DatasetSplit.Test).Take(100);
using var stop = new CancellationTokenSource();
long collections = 0;
var collector = new Thread(() =>
{
    while (!stop.IsCancellationRequested)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        collections++;
    }
}) { IsBackground = true };
collector.Start();

var clock = Stopwatch.StartNew();
int runs = 0;
for (int seed = 1; clock.Elapsed.TotalSeconds < seconds; seed++)
{
    var options = new TrainingOptions
    {
        Model = "lenet5", Format = WeightFormat.Pot(4), PerChannel = true, FloatEpochs = 1, QatEpochs = 1,
        BatchSize = 64, Seed = seed, ScaleInterval = 1,
    };
    var trainer = new Trainer(options, train, test);
    trainer.Run();
    PruningMethod method = seed % 2 == 0 ? PruningMethod.Magnitude : PruningMethod.Log;
    var pruning = new PruningOptions { Method = method, Sparsity = 0.6, Rounds = 2, EpochsPerRound = 1, CalibrationImages = 128 };
    PruningResult result = PruningRun.Run(trainer.Network, options, pruning, train, test);
    result.Mask.Dispose();
    trainer.Network.Dispose();
    runs++;
    Console.WriteLine($"run {runs}: seed {seed}, {method} to {result.Sparsity:P0}, {clock.Elapsed.TotalSeconds:F0} s, {collections} forced collections");
}

stop.Cancel();
collector.Join();
Console.WriteLine($"{runs} QAT + pruning runs in {clock.Elapsed.TotalSeconds:F0} s under {collections} forced collections: no fault");
return 0;
