using System.Collections.Concurrent;
using PotNet.Engines.Fast;
using PotNet.Model;

namespace PotNet.Engines;

/// <summary>
/// Runs a <see cref="QuantizedModel"/> with SIMD integer kernels and threads, with results equal to
/// <see cref="ReferenceEngine"/>'s bit for bit. Weights are packed once as int8, int16 or int32 units
/// (the narrowest that the chosen instruction set sums exactly); activations are u8, channels-last.
/// Thread-safe; after the first inference on a thread, inference allocates nothing.
/// </summary>
public sealed class FastEngine
{
    private readonly FastStep[] _steps;
    private readonly ComputeStep _logits;
    private readonly ConcurrentBag<Workspace> _workspaces = [];
    private readonly int _activations, _columns, _accumulators;

    /// <summary>Prepares the engine: packs weights and index tables for the path in <paramref name="options"/>.</summary>
    /// <exception cref="PotNetException">The path forced by the options is not supported on this CPU.</exception>
    public FastEngine(QuantizedModel model, FastEngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new FastEngineOptions();
        if (options.Threads < 1) throw new PotNetException($"FastEngine threads: {options.Threads} must be at least 1");
        Model = model;
        Path = FastPaths.Resolve(options.Path);
        Threads = options.Threads;

        var steps = new List<FastStep>();
        int[] layout = Enumerable.Range(0, model.Input.Size).ToArray();
        foreach (LayerPlan step in model.Plan)
        {
            FastStep? next = step.Layer switch
            {
                ComputeLayer => new ComputeStep(step, layout, Path),
                Pool2d => new PoolStep(step, layout, Path),
                Flatten => null,
                Layer other => throw new NotSupportedException($"layer type {other.TypeName}"),
            };
            if (next is null) continue;
            steps.Add(next);
            layout = next.Layout;
        }

        _logits = (ComputeStep)steps[^1];
        _steps = [.. steps.SkipLast(1)];
        _activations = Math.Max(model.Input.Size, steps.Max(s => s.PhysicalSize));
        _columns = steps.Max(s => s.ColumnUnits);
        _accumulators = steps.Max(s => s.AccumulatorCount);
    }

    /// <summary>The model this engine runs.</summary>
    public QuantizedModel Model { get; }

    /// <summary>The instruction-set path in use (never <see cref="FastPath.Auto"/>).</summary>
    public FastPath Path { get; }

    /// <summary>Threads that batches are spread over.</summary>
    public int Threads { get; }

    /// <summary>Runs one image (u8, the model's input shape, CHW) on the calling thread, writing the logits.</summary>
    public void Infer(ReadOnlySpan<byte> image, Span<int> logits)
    {
        CheckSizes(image.Length, logits.Length, 1);
        Workspace workspace = Rent();
        Run(workspace, image, logits);
        _workspaces.Add(workspace);
    }

    /// <summary>Runs one image and returns the logits.</summary>
    public int[] Infer(ReadOnlySpan<byte> image)
    {
        var logits = new int[Model.ClassCount];
        Infer(image, logits);
        return logits;
    }

    /// <summary>The predicted class of one image: the index of the largest logit, lowest on ties.</summary>
    public int Classify(ReadOnlySpan<byte> image)
    {
        Span<int> logits = stackalloc int[Model.ClassCount];
        Infer(image, logits);
        return ReferenceEngine.ArgMax(logits);
    }

    /// <summary>
    /// Runs a batch: <paramref name="images"/> holds N images back to back and <paramref name="logits"/>
    /// receives N x classes values. The images are spread over <see cref="Threads"/> threads.
    /// </summary>
    public void InferBatch(ReadOnlyMemory<byte> images, Memory<int> logits)
    {
        int count = images.Length / Model.Input.Size, classes = Model.ClassCount;
        CheckSizes(images.Length, logits.Length, count);
        ForEachChunk(count, (workspace, start, end) =>
        {
            for (int i = start; i < end; i++)
            {
                Run(workspace, images.Span.Slice(i * Model.Input.Size, Model.Input.Size), logits.Span.Slice(i * classes, classes));
            }
        });
    }

    /// <summary>The predicted class of each of a batch of images, spread over <see cref="Threads"/> threads.</summary>
    public void ClassifyBatch(ReadOnlyMemory<byte> images, Memory<int> classes)
    {
        int count = images.Length / Model.Input.Size;
        CheckSizes(images.Length, classes.Length * Model.ClassCount, count);
        ForEachChunk(count, (workspace, start, end) =>
        {
            Span<int> logits = stackalloc int[Model.ClassCount];
            for (int i = start; i < end; i++)
            {
                Run(workspace, images.Span.Slice(i * Model.Input.Size, Model.Input.Size), logits);
                classes.Span[i] = ReferenceEngine.ArgMax(logits);
            }
        });
    }

    private void Run(Workspace workspace, ReadOnlySpan<byte> image, Span<int> logits)
    {
        image.CopyTo(workspace.Front);
        foreach (FastStep step in _steps)
        {
            step.Run(workspace);
            workspace.Swap();
        }

        _logits.RunLogits(workspace, logits);
    }

    private void ForEachChunk(int count, Action<Workspace, int, int> body)
    {
        int chunks = Math.Min(Threads, count);
        if (chunks <= 1)
        {
            Workspace workspace = Rent();
            body(workspace, 0, count);
            _workspaces.Add(workspace);
            return;
        }

        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, chunk =>
        {
            Workspace workspace = Rent();
            body(workspace, (int)((long)count * chunk / chunks), (int)((long)count * (chunk + 1) / chunks));
            _workspaces.Add(workspace);
        });
    }

    private Workspace Rent() => _workspaces.TryTake(out Workspace? workspace) ? workspace : new Workspace(_activations, _columns, _accumulators);

    private void CheckSizes(int imageBytes, int logits, int count)
    {
        int size = Model.Input.Size;
        if (imageBytes != count * size || imageBytes == 0)
        {
            throw new ArgumentException($"the images have {imageBytes} bytes, not a positive multiple of the model's input {Model.Input} = {size}");
        }

        if (logits != count * Model.ClassCount)
        {
            throw new ArgumentException($"the output holds {logits} values, expected {count} x {Model.ClassCount}");
        }
    }
}
