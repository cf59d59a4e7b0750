using BenchmarkDotNet.Attributes;
using PotNet.Engines;
using PotNet.Model;

namespace PotNet.Bench;

/// <summary>FastEngine: batch-1 latency and batch-256 throughput, per model and thread count.</summary>
public class FastEngineBenchmarks
{
    private FastEngine _engine = null!;
    private byte[] _images = null!;
    private int[] _logits = null!;

    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    public static IEnumerable<string> Models => BenchModels.Names;

    [GlobalSetup]
    public void Setup()
    {
        QuantizedModel model = BenchModels.Load(Model).Model;
        _engine = new FastEngine(model, new FastEngineOptions { Threads = Threads });
        _images = BenchModels.Images(Batch);
        _logits = new int[Batch * model.ClassCount];
    }

    /// <summary>Images per batch in <see cref="Batch256"/>.</summary>
    public const int Batch = 256;

    [Benchmark]
    public void Batch1() => _engine.Infer(_images.AsSpan(0, 784), _logits.AsSpan(0, _engine.Model.ClassCount));

    [Benchmark]
    public void Batch256() => _engine.InferBatch(_images, _logits);
}
