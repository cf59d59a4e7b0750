using BenchmarkDotNet.Attributes;
using PotNet.Cli.Engines;
using PotNet.Engines;
using PotNet.Model;

namespace PotNet.Bench;

/// <summary>
/// Batch-1 latency and batch-256 throughput per model, thread count and engine: FastEngine, ONNX
/// Runtime on the float export (<c>ort-fp32</c>) and on the int8 QDQ export (<c>ort-int8</c>). Every
/// engine takes the same u8 images; ONNX Runtime's time includes turning them into its float input
/// (<c>pixel / 256</c>), as <c>potnet eval --engine onnxruntime</c> does.
/// </summary>
public class EngineBenchmarks : IDisposable
{
    /// <summary>Images per batch in <see cref="Batch256"/>.</summary>
    public const int Batch = 256;

    private byte[] _images = null!;
    private Action _batch1 = null!;
    private Action _batch256 = null!;
    private readonly List<IDisposable> _owned = [];

    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = "";

    [Params(1, 2)]
    public int Threads { get; set; }

    [Params("fast", "ort-fp32", "ort-int8")]
    public string Engine { get; set; } = "";

    public static IEnumerable<string> Models => BenchModels.Names;

    [GlobalSetup]
    public void Setup()
    {
        QuantizedModel model = BenchModels.Load(Model).Model;
        _images = BenchModels.Images(Batch);
        if (Engine == "fast")
        {
            var engine = new FastEngine(model, new FastEngineOptions { Threads = Threads });
            var logits = new int[Batch * model.ClassCount];
            _batch1 = () => engine.Infer(_images.AsSpan(0, model.Input.Size), logits.AsSpan(0, model.ClassCount));
            _batch256 = () => engine.InferBatch(_images, logits);
        }
        else
        {
            var engine = Own(new OnnxRuntimeEngine(model, Engine == "ort-int8" ? OnnxFlavor.Qdq : OnnxFlavor.Float, Threads));
            OnnxRuntimeEngine.Batch one = Own(engine.CreateBatch(1)), many = Own(engine.CreateBatch(Batch));
            _batch1 = () => one.Run(_images.AsSpan(0, model.Input.Size));
            _batch256 = () => many.Run(_images);
        }
    }

    [Benchmark]
    public void Batch1() => _batch1();

    [Benchmark]
    public void Batch256() => _batch256();

    [GlobalCleanup]
    public void Dispose()
    {
        for (int i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _owned.Clear();
        GC.SuppressFinalize(this);
    }

    private T Own<T>(T value) where T : IDisposable
    {
        _owned.Add(value);
        return value;
    }
}
