using Microsoft.ML.OnnxRuntime;
using PotNet.Model;
using PotNet.Onnx;

namespace PotNet.Cli.Engines;

/// <summary>
/// A quantised model's ONNX export run in ONNX Runtime (CPU): the comparison engine of
/// <c>potnet eval --engine onnxruntime</c> and of the benchmarks. Sessions run sequentially with
/// every graph optimisation; <see cref="Classify"/> may be called from several threads (ONNX
/// Runtime's <c>Run</c> is thread-safe), a <see cref="Batch"/> from one at a time.
/// </summary>
internal sealed class OnnxRuntimeEngine : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string[] _inputNames = ["input"];
    private readonly string[] _outputNames = ["logits"];
    private readonly float _pixelScale;

    public OnnxRuntimeEngine(QuantizedModel model, OnnxFlavor flavor, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Model = model;
        Flavor = flavor;
        _pixelScale = (float)Math.ScaleB(1, -model.InputExponent);
        byte[] onnx = flavor == OnnxFlavor.Float ? OnnxExport.ToFloat(model) : OnnxExport.ToQdq(model);
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(onnx, options);
    }

    public QuantizedModel Model { get; }

    public OnnxFlavor Flavor { get; }

    /// <summary>The predicted class of one image (the lowest index on ties, as <c>ReferenceEngine.ArgMax</c>).</summary>
    public int Classify(ReadOnlySpan<byte> image)
    {
        using Batch batch = CreateBatch(1);
        ReadOnlySpan<float> logits = batch.Run(image);
        int best = 0;
        for (int i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best]) best = i;
        }

        return best;
    }

    /// <summary>Buffers and tensors for <paramref name="images"/> images at a time, reused across runs.</summary>
    public Batch CreateBatch(int images)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(images, 1);
        return new Batch(this, images);
    }

    public void Dispose() => _session.Dispose();

    /// <summary>
    /// Pinned input and output tensors for a fixed number of images, so that a run allocates only
    /// what ONNX Runtime allocates inside.
    /// </summary>
    internal sealed class Batch : IDisposable
    {
        private readonly OnnxRuntimeEngine _engine;
        private readonly float[] _input;
        private readonly float[] _logits;
        private readonly OrtValue[] _inputValues;
        private readonly OrtValue[] _outputValues;
        private readonly RunOptions _runOptions = new();

        internal Batch(OnnxRuntimeEngine engine, int images)
        {
            _engine = engine;
            Shape shape = engine.Model.Input;
            Images = images;
            _input = new float[images * shape.Size];
            _logits = new float[images * engine.Model.ClassCount];
            _inputValues = [OrtValue.CreateTensorValueFromMemory(_input, [images, shape.Channels, shape.Height, shape.Width])];
            _outputValues = [OrtValue.CreateTensorValueFromMemory(_logits, [images, engine.Model.ClassCount])];
        }

        public int Images { get; }

        /// <summary>
        /// Runs <see cref="Images"/> u8 images (flattened, one after another) and returns their float
        /// logits, <c>acc * 2^-(f_in + g)</c> of the last layer, valid until the next run.
        /// </summary>
        public ReadOnlySpan<float> Run(ReadOnlySpan<byte> images)
        {
            if (images.Length != _input.Length) throw new ArgumentException($"expected {_input.Length} bytes, got {images.Length}", nameof(images));
            for (int i = 0; i < _input.Length; i++) _input[i] = images[i] * _engine._pixelScale;
            _engine._session.Run(_runOptions, _engine._inputNames, _inputValues, _engine._outputNames, _outputValues);
            return _logits;
        }

        public void Dispose()
        {
            _inputValues[0].Dispose();
            _outputValues[0].Dispose();
            _runOptions.Dispose();
        }
    }
}
