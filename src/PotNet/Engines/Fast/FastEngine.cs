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
    private readonly int[] _buffers;
    private readonly int _columns, _accumulators;

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

        List<FastStep> steps = BuildSteps(model, Path);
        _logits = (ComputeStep)steps[^1];
        _steps = [.. steps.SkipLast(1)];
        _buffers = AllocateBuffers(steps, model.Input.Size);
        _columns = steps.Max(s => s.ColumnUnits);
        _accumulators = steps.Max(s => s.AccumulatorCount);
    }

    /// <summary>The model this engine runs.</summary>
    public QuantizedModel Model { get; }

    /// <summary>The instruction-set path in use (never <see cref="FastPath.Auto"/>).</summary>
    public FastPath Path { get; }

    /// <summary>Threads that batches are spread over.</summary>
    public int Threads { get; }

    /// <summary>Multiply-adds per image of the model's weighted layers (what the benchmark's GMAC/s count).</summary>
    internal long MultiplyAdds => _steps.Append(_logits).Sum(s => s.MultiplyAdds);

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

    /// <summary>
    /// Runs <paramref name="images"/> one by one on the calling thread with every step's phases timed
    /// (the benchmark's breakdown): the steps in order, and their time per phase summed over the images.
    /// </summary>
    internal (FastStep[] Steps, StepTimings Timings) Profile(ReadOnlySpan<byte> images)
    {
        int count = images.Length / Model.Input.Size;
        CheckSizes(images.Length, count * Model.ClassCount, count);
        var timings = new StepTimings(_steps.Length + 1);
        var workspace = new Workspace(_buffers, _columns, _accumulators) { Timings = timings };
        var logits = new int[Model.ClassCount];
        for (int i = 0; i < count; i++) Run(workspace, images.Slice(i * Model.Input.Size, Model.Input.Size), logits);
        return ([.. _steps, _logits], timings);
    }

    private void Run(Workspace workspace, ReadOnlySpan<byte> image, Span<int> logits)
    {
        image.CopyTo(workspace.Buffers[0]);
        foreach (FastStep step in _steps) step.Run(workspace);

        _logits.RunLogits(workspace, logits);
    }

    /// <summary>
    /// One step per layer that computes (a flatten keeps its input's bytes and layout), each built on the
    /// layouts of the steps it reads; its <see cref="FastStep.InputBuffers"/> first hold those steps'
    /// indices (-1 for the image), which <see cref="AllocateBuffers"/> turns into buffers.
    /// </summary>
    private static List<FastStep> BuildSteps(QuantizedModel model, FastPath path)
    {
        var steps = new List<FastStep>();
        var image = (Step: -1, Layout: Enumerable.Range(0, model.Input.Size).ToArray(), Size: model.Input.Size);
        var values = new (int Step, int[] Layout, int Size)[model.Plan.Count];
        for (int i = 0; i < model.Plan.Count; i++)
        {
            LayerPlan step = model.Plan[i];
            var sources = step.Sources.Select(s => s < 0 ? image : values[s]).ToArray();
            FastStep? next = step.Layer switch
            {
                ComputeLayer compute => new ComputeStep(step, sources[0].Layout, path, compute.Residual is null ? null : sources[^1].Layout),
                Pool2d => new PoolStep(step, sources[0].Layout, path),
                ResidualAdd => new AddStep(step, sources[0].Layout, sources[1].Layout, sources[0].Size),
                Flatten => null,
                Layer other => throw new NotSupportedException($"layer type {other.TypeName}"),
            };
            if (next is null)
            {
                values[i] = sources[0];
                continue;
            }

            next.InputBuffers = [.. sources.Select(s => s.Step)];
            next.Name = step.Layer.Name;
            next.Index = steps.Count;
            steps.Add(next);
            values[i] = (steps.Count - 1, next.Layout, next.PhysicalSize);
        }

        return steps;
    }

    /// <summary>
    /// Gives each step's output a buffer that holds no activation still to be read (buffer 0 holds the
    /// image), so a chain alternates between two buffers and a residual branch keeps its input alive
    /// until the add has read it. Returns the buffers' sizes.
    /// </summary>
    private static int[] AllocateBuffers(List<FastStep> steps, int imageSize)
    {
        // The last step reading the output of each step (index + 1; 0 is the image).
        var lastRead = new int[steps.Count + 1];
        for (int s = 0; s < steps.Count; s++)
        {
            foreach (int source in steps[s].InputBuffers) lastRead[source + 1] = s;
        }

        var sizes = new List<int> { imageSize };
        var holds = new List<int> { 0 };
        var bufferOf = new int[steps.Count + 1];
        for (int s = 0; s < steps.Count; s++)
        {
            steps[s].InputBuffers = [.. steps[s].InputBuffers.Select(source => bufferOf[source + 1])];
            if (s == steps.Count - 1) break;
            int buffer = holds.FindIndex(value => lastRead[value] < s);
            if (buffer < 0)
            {
                buffer = sizes.Count;
                sizes.Add(0);
                holds.Add(0);
            }

            sizes[buffer] = Math.Max(sizes[buffer], steps[s].PhysicalSize);
            holds[buffer] = s + 1;
            bufferOf[s + 1] = buffer;
            steps[s].OutputBuffer = buffer;
        }

        return [.. sizes];
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

        // The images go out in grains as the workers ask for them, not in one share per thread up front: a
        // core that the machine slows for a while (another job, a shared host) then takes fewer grains
        // instead of holding up the batch.
        int next = 0;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = chunks }, _ =>
        {
            Workspace workspace = Rent();
            for (int start; (start = Interlocked.Add(ref next, Grain) - Grain) < count;)
            {
                body(workspace, start, Math.Min(start + Grain, count));
            }

            _workspaces.Add(workspace);
        });
    }

    /// <summary>Images per grain of a batch on several threads: small beside a batch, large beside the handing out.</summary>
    private const int Grain = 8;

    private Workspace Rent() => _workspaces.TryTake(out Workspace? workspace) ? workspace : new Workspace(_buffers, _columns, _accumulators);

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
