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
    private readonly FastStep[] _steps, _head;
    private readonly ComputeStep[] _tail;
    private readonly ComputeStep _logits;
    private readonly ConcurrentBag<Workspace> _workspaces = [];
    private readonly int[] _buffers;
    private readonly int _columns, _batchColumns, _accumulators;

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
        _steps = [.. steps];
        _logits = (ComputeStep)steps[^1];
        int tail = BatchedTail(steps);
        _tail = [.. steps.Skip(tail).Cast<ComputeStep>()];
        foreach (ComputeStep step in _tail) step.Batched = true;
        _head = [.. steps.Take(Math.Min(tail, steps.Count - 1))];
        _buffers = AllocateBuffers(steps, model.Input.Size);
        _columns = steps.Max(s => s is ComputeStep { Batched: true } ? 0 : s.ColumnUnits);
        _batchColumns = Batch * steps.Max(s => s is ComputeStep { Batched: true } ? s.ColumnUnits : 0);
        _accumulators = steps.Max(s => ImagesPerRun(s) * s.AccumulatorCount);
    }

    /// <summary>The model this engine runs.</summary>
    public QuantizedModel Model { get; }

    /// <summary>The instruction-set path in use (never <see cref="FastPath.Auto"/>).</summary>
    public FastPath Path { get; }

    /// <summary>Threads that batches are spread over.</summary>
    public int Threads { get; }

    /// <summary>Multiply-adds per image of the model's weighted layers (what the benchmark's GMAC/s count).</summary>
    internal long MultiplyAdds => _steps.Sum(s => s.MultiplyAdds);

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
        int count = images.Length / Model.Input.Size, size = Model.Input.Size, classes = Model.ClassCount;
        CheckSizes(images.Length, logits.Length, count);
        ForEachBatch(count, (workspace, start, end) =>
            Run(workspace, images.Span[(start * size)..(end * size)], logits.Span[(start * classes)..(end * classes)]));
    }

    /// <summary>The predicted class of each of a batch of images, spread over <see cref="Threads"/> threads.</summary>
    public void ClassifyBatch(ReadOnlyMemory<byte> images, Memory<int> classes)
    {
        int count = images.Length / Model.Input.Size, size = Model.Input.Size, classCount = Model.ClassCount;
        CheckSizes(images.Length, classes.Length * classCount, count);
        ForEachBatch(count, (workspace, start, end) =>
        {
            Span<int> logits = stackalloc int[(end - start) * classCount];
            Run(workspace, images.Span[(start * size)..(end * size)], logits);
            for (int i = start; i < end; i++) classes.Span[i] = ReferenceEngine.ArgMax(logits.Slice((i - start) * classCount, classCount));
        });
    }

    /// <summary>
    /// Runs <paramref name="images"/> on the calling thread in batches, as one worker of <see cref="InferBatch"/>
    /// runs them, with every step's phases timed (the benchmark's breakdown): the steps in order, and their
    /// time per phase summed over the images.
    /// </summary>
    internal (FastStep[] Steps, StepTimings Timings) Profile(ReadOnlySpan<byte> images)
    {
        int size = Model.Input.Size, count = images.Length / size;
        CheckSizes(images.Length, count * Model.ClassCount, count);
        var timings = new StepTimings(_steps.Length);
        var workspace = new Workspace(_buffers, _columns, _batchColumns, _accumulators) { Timings = timings };
        var logits = new int[Batch * Model.ClassCount];
        for (int start = 0; start < count; start += Batch)
        {
            int end = Math.Min(start + Batch, count);
            Run(workspace, images[(start * size)..(end * size)], logits.AsSpan(0, (end - start) * Model.ClassCount));
        }

        return (_steps, timings);
    }

    /// <summary>
    /// Runs up to <see cref="Batch"/> images (back to back in <paramref name="images"/>), writing their logits:
    /// each image through the head, its row of the batched tail's first step gathered as it finishes, then
    /// the tail's steps once for all of them.
    /// </summary>
    private void Run(Workspace workspace, ReadOnlySpan<byte> images, Span<int> logits)
    {
        int size = Model.Input.Size, classes = Model.ClassCount, count = images.Length / size;
        for (int i = 0; i < count; i++)
        {
            images.Slice(i * size, size).CopyTo(workspace.Buffers[0]);
            foreach (FastStep step in _head) step.Run(workspace);
            if (_tail.Length == 0) _logits.RunLogits(workspace, 1, logits.Slice(i * classes, classes));
            else _tail[0].GatherRow(workspace, i, inputImage: 0);
        }

        for (int t = 0; t < _tail.Length; t++)
        {
            ComputeStep step = _tail[t];
            for (int i = 0; t > 0 && i < count; i++) step.GatherRow(workspace, i, inputImage: i);
            if (step == _logits) step.RunLogits(workspace, count, logits);
            else step.Run(workspace, count);
        }
    }

    /// <summary>
    /// One step per layer that computes (a flatten keeps its input's bytes and layout; a max pool that
    /// <see cref="FusedPool"/> finds runs in its convolution's epilogue), each built on the layouts of the
    /// steps it reads; its <see cref="FastStep.InputBuffers"/> first hold those steps' indices (-1 for the
    /// image), which <see cref="AllocateBuffers"/> turns into buffers.
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
            LayerPlan? pool = FusedPool(model, i, path);
            FastStep? next = step.Layer switch
            {
                ComputeLayer compute => new ComputeStep(step, sources[0].Layout, sources[0].Size, path, compute.Residual is null ? null : sources[^1].Layout, pool),
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
            next.Name = pool is null ? step.Layer.Name : $"{step.Layer.Name}+{pool.Layer.Name}";
            next.Index = steps.Count;
            steps.Add(next);
            values[i] = (steps.Count - 1, next.Layout, next.PhysicalSize);
            if (pool is not null)
            {
                // The pool's value is the fused step's output.
                i++;
                values[i] = values[i - 1];
            }
        }

        return steps;
    }

    /// <summary>
    /// The max pool that plan step <paramref name="index"/>, a weighted layer, runs in its epilogue
    /// (<see cref="ComputeStep.Fuses"/>): the next step, when it is a pool that reads only this layer and no
    /// other step reads the layer's output, which then never exists. Null for any other step.
    /// </summary>
    private static LayerPlan? FusedPool(QuantizedModel model, int index, FastPath path)
    {
        if (index + 1 >= model.Plan.Count || model.Plan[index].Layer is not ComputeLayer) return null;
        LayerPlan pool = model.Plan[index + 1];
        bool readOnlyByPool = pool.Sources is [var source] && source == index
            && !model.Plan.Where((s, j) => j != index + 1 && s.Sources.Contains(index)).Any();
        return readOnlyByPool && ComputeStep.Fuses(model.Plan[index], pool, path) ? pool : null;
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

            sizes[buffer] = Math.Max(sizes[buffer], ImagesPerRun(steps[s]) * steps[s].PhysicalSize);
            holds[buffer] = s + 1;
            bufferOf[s + 1] = buffer;
            steps[s].OutputBuffer = buffer;
        }

        return [.. sizes];
    }

    /// <summary>
    /// The first step of the batched tail: the longest run of <see cref="ComputeStep.Batchable"/> steps that
    /// ends the network, each after the first reading only the step before it (the steps' inputs are still
    /// step indices). A network that ends in a convolution has none.
    /// </summary>
    private static int BatchedTail(List<FastStep> steps)
    {
        int first = steps.Count;
        while (first > 0 && steps[first - 1] is ComputeStep { Batchable: true } && (first == steps.Count || steps[first].InputBuffers is [var source] && source == first - 1))
        {
            first--;
        }

        return first;
    }

    /// <summary>Images that one run of <paramref name="step"/> holds at once: a batch for the tail, one for the head.</summary>
    private static int ImagesPerRun(FastStep step) => step is ComputeStep { Batched: true } ? Batch : 1;

    /// <summary>
    /// Calls <paramref name="body"/> with a workspace and each batch [start, end) of at most <see cref="Batch"/>
    /// of the <paramref name="count"/> images. On several threads the batches go out as the workers ask for
    /// them, not in one share per thread up front: a core that the machine slows for a while (another job, a
    /// shared host) then takes fewer batches instead of holding up the whole.
    /// </summary>
    private void ForEachBatch(int count, Action<Workspace, int, int> body)
    {
        int next = 0;
        void Work()
        {
            Workspace workspace = Rent();
            for (int start; (start = Interlocked.Add(ref next, Batch) - Batch) < count;) body(workspace, start, Math.Min(start + Batch, count));
            _workspaces.Add(workspace);
        }

        int workers = Math.Min(Threads, (count + Batch - 1) / Batch);
        if (workers <= 1) Work();
        else Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, _ => Work());
    }

    /// <summary>
    /// Images per run of the batched tail, and per batch that a worker takes: 8 positions let the product
    /// load each weight once for four images, twice per batch; and 8 images are few beside a batch of
    /// hundreds, many beside the cost of handing them out.
    /// </summary>
    private const int Batch = 8;

    private Workspace Rent() => _workspaces.TryTake(out Workspace? workspace) ? workspace : new Workspace(_buffers, _columns, _batchColumns, _accumulators);

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
