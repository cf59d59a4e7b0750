using PotNet.Engines;
using System.Numerics;
using System.Runtime.Intrinsics;
using PotNet.Model;

namespace PotNet.Engines.Fast;

/// <summary>
/// A convolution or dense layer: a copy of the input into a padded plane that the kernel reads its units from
/// (<see cref="InputPlane"/>, convolutions with quad weights), or im2col through a precomputed table (from
/// <c>ConvGeometry.Gather</c>), the
/// packed product on the chosen path, then requantisation to channels-last u8 (in the product's
/// epilogue, <see cref="RequantizedOutput{TVector, TWidth}"/>, when nothing is added to the sums first), or the logits. A
/// grouped convolution runs the same product once per group (<see cref="GroupKernel"/>: the group's
/// im2col rows and weights), each writing its channels' columns of the one accumulator table. A residual
/// source (the step's second input) is added into the accumulators before requantisation, element by
/// element as the ReferenceEngine adds it: one add per output, cheap beside the product.
/// A <see cref="Batched"/> step (a dense layer of the network's tail) runs several images at once, each
/// image a position of the product, so that its weights are loaded once for four images instead of once
/// per image. A 2x2 max pool that only this layer feeds can run in its epilogue (<see cref="Fuses"/>):
/// the product's positions then come in the pool's windows, and the step's output is the pool's.
/// </summary>
internal sealed class ComputeStep : FastStep
{
    private readonly FastPath _path;
    private readonly GroupKernel[] _groups;
    private readonly Requantizer? _requantizer;
    private readonly int[] _layout;
    private readonly int[]? _border;
    private readonly int[]? _residual, _residualShifts;
    private readonly int _positions, _outputPositions, _channels, _width, _stride, _inputBytes;
    private readonly long _multiplyAdds;
    private readonly bool _fused, _pooled;

    /// <summary>
    /// Builds the step on its input's layout and physical size per image (<paramref name="inputBytes"/>);
    /// <paramref name="residualLayout"/> is the residual source's layout, when the layer has one, and
    /// <paramref name="pool"/> the max pool fused into its epilogue, when <see cref="Fuses"/> allows one.
    /// </summary>
    public ComputeStep(LayerPlan step, int[] inputLayout, int inputBytes, FastPath path, int[]? residualLayout = null, LayerPlan? pool = null)
    {
        _inputBytes = inputBytes;
        var layer = (ComputeLayer)step.Layer;
        ConvGeometry geometry = layer.Geometry;
        _path = path = Narrowed(path, geometry);
        if (pool is not null && !Fuses(step, pool, path)) throw new ArgumentException($"{pool.Layer.Name} cannot be fused into {layer.Name}", nameof(pool));
        _pooled = pool is not null;
        Shape output = pool?.Output ?? step.Output;
        int[] positions = pool is null ? [.. Enumerable.Range(0, step.Output.Height * step.Output.Width)] : Windows(pool);
        _positions = positions.Length;
        _outputPositions = output.Height * output.Width;
        _channels = geometry.OutChannels;
        _multiplyAdds = (long)_positions * _channels * geometry.FanIn;
        int[] gather = ToPhysical(geometry.Gather(step.Input, step.Output), inputLayout);
        int[] weights = layer.DecodeWeights();
        int lanes = Lanes(path);
        _groups = [.. Enumerable.Range(0, geometry.Groups).Select(g => GroupKernel.Create(layer, g, gather, weights, step.Output, positions, path))];
        // Each group's vectors are whole lanes from its first channel's column, so the last group's can
        // reach past the channels: the rows are that long, in whole vectors.
        _width = (_groups[^1].Column + _groups[^1].Weights.Width + lanes - 1) / lanes * lanes;
        // Rows of whole 16-byte chunks let the next pool work on vectors.
        _stride = path == FastPath.Scalar ? _width : (_width + 15) / 16 * 16;
        _layout = ChannelsLast(output, _stride);
        _border = layer.PaddingValues.IsEmpty ? null : Border(layer, gather, weights, _positions, _width);
        if (layer.Residual is not null)
        {
            // The source's physical index of each accumulator [positions, width]'s logical output.
            _residual = new int[_positions * _channels];
            for (int co = 0; co < _channels; co++)
            {
                for (int p = 0; p < _positions; p++) _residual[p * _channels + co] = residualLayout![co * _positions + p];
            }

            _residualShifts = [.. Enumerable.Range(0, _channels).Select(step.ResidualShift)];
        }

        if (layer.Relu)
        {
            _requantizer = new Requantizer([.. Enumerable.Range(0, _channels).Select(step.RequantizeShift)], _width, _stride, path);
        }

        _fused = RequantizedInEpilogue(step, path);
    }

    /// <summary>
    /// Whether the max pool <paramref name="pool"/>, which reads only <paramref name="step"/>, can run in the
    /// step's epilogue on <paramref name="path"/> (<see cref="MaxPooledOutput{TVector, TWidth}"/>): 2x2
    /// windows, and a layer requantised in its epilogue.
    /// </summary>
    public static bool Fuses(LayerPlan step, LayerPlan pool, FastPath path) => pool.Layer is MaxPool2d { Kernel: 2 } && RequantizedInEpilogue(step, path);

    /// <summary>
    /// Whether the step's sums are requantised in the product's epilogue: a layer with a ReLU whose
    /// requantisation has the vector form, and nothing added to the sums first (no padding values, no residual).
    /// </summary>
    private static bool RequantizedInEpilogue(LayerPlan step, FastPath path) =>
        step.Layer is ComputeLayer { Relu: true, Residual: null } layer && layer.PaddingValues.IsEmpty
        && Requantizer.Vectorizes(Enumerable.Range(0, layer.Geometry.OutChannels).Select(step.RequantizeShift), path);

    /// <summary>
    /// The convolution's output positions in the order of a fused pool's windows, four per pooled position, so
    /// that each quartet of the product is one window. Overlapping windows (stride 1) compute a position
    /// more than once; positions in no window (floor mode) are not computed.
    /// </summary>
    private static int[] Windows(LayerPlan pool)
    {
        var layer = (Pool2d)pool.Layer;
        // Channel 0's windows come first in the CHW table, and its logical indices are the positions.
        return layer.Windows(pool.Input, pool.Output)[..(pool.Output.Height * pool.Output.Width * layer.Kernel * layer.Kernel)];
    }

    public override int[] Layout => _layout;

    public override int PhysicalSize => _outputPositions * _stride;

    public override int ColumnUnits => _groups.Max(g => g.ColumnUnits);

    public override int AccumulatorCount => _positions * _width;

    public override long MultiplyAdds => _multiplyAdds;

    /// <summary>
    /// True for a layer that can run a batch of images as the positions of one product: one output
    /// position, one group read through im2col, and nothing added to its sums but the bias.
    /// </summary>
    public bool Batchable => _positions == 1 && _groups is [{ Plane: null }] && _border is null && _residual is null;

    /// <summary>
    /// Set by the engine on the <see cref="Batchable"/> steps that end the network: they run
    /// <see cref="Run(Workspace, int)"/> on the images whose rows <see cref="GatherRow"/> put in
    /// <see cref="Workspace.BatchColumns"/>, and their outputs hold the batch's images one after another.
    /// </summary>
    public bool Batched { get; set; }

    public override void Run(Workspace workspace) => Run(workspace, images: 1);

    /// <summary>
    /// Runs <paramref name="images"/> images: one, or up to the engine's batch on a <see cref="Batched"/>
    /// step, whose output then holds image i at <c>i * PhysicalSize</c>.
    /// </summary>
    public void Run(Workspace workspace, int images)
    {
        workspace.Timings?.Start();
        if (_fused)
        {
            Accumulate(workspace, images, Output(workspace));
            return;
        }

        Span<int> acc = Accumulate(workspace, images, null);
        if (_residual is not null) AddResidual(acc, Input(workspace, 1));
        workspace.Timings?.Lap(Index, StepPhase.Extras);
        _requantizer!.Run(acc, Output(workspace).AsSpan(0, images * PhysicalSize), images * _positions);
        workspace.Timings?.Lap(Index, StepPhase.Requantize);
    }

    /// <summary>
    /// Gathers a <see cref="Batched"/> step's im2col row for batch image <paramref name="image"/> from image
    /// <paramref name="inputImage"/> of its input buffer: the first batched step's input holds one image,
    /// the head's output as each image finishes it, and the next steps' inputs hold the whole batch.
    /// </summary>
    public void GatherRow(Workspace workspace, int image, int inputImage)
    {
        workspace.Timings?.Start();
        GroupKernel group = _groups[0];
        group.Im2Col.Gather(Input(workspace).AsSpan(inputImage * _inputBytes), workspace.BatchColumns.AsSpan(image * group.ColumnUnits, group.ColumnUnits), group.Weights.Kind);
        workspace.Timings?.Lap(Index, StepPhase.Im2Col);
    }

    /// <summary><c>acc += x &lt;&lt; shift</c> per output channel, the residual source read through its layout.</summary>
    private void AddResidual(Span<int> acc, byte[] x)
    {
        int[] sources = _residual!, shifts = _residualShifts!;
        for (int p = 0; p < _positions; p++)
        {
            for (int co = 0; co < _channels; co++) acc[p * _width + co] += x[sources[p * _channels + co]] << shifts[co];
        }
    }

    /// <summary>Writes the logits (CHW order per image) of the last layer for <paramref name="images"/> images, as <see cref="Run(Workspace, int)"/> runs them.</summary>
    public void RunLogits(Workspace workspace, int images, Span<int> logits)
    {
        workspace.Timings?.Start();
        ReadOnlySpan<int> acc = Accumulate(workspace, images, null);
        int classes = _channels * _positions;
        for (int n = 0; n < images; n++)
        {
            for (int p = 0; p < _positions; p++)
            {
                for (int co = 0; co < _channels; co++) logits[n * classes + co * _positions + p] = acc[(n * _positions + p) * _width + co];
            }
        }

        workspace.Timings?.Lap(Index, StepPhase.Extras);
    }

    /// <summary>
    /// The path this layer runs on: on <see cref="FastPath.Avx512"/>, a layer of at most 8 output channels per
    /// group would leave half of every 512-bit vector's lanes as padding (lenet5's conv1: 6 of 16), so it
    /// takes the 256-bit kernels, which do the same useful work in half the vector width.
    /// </summary>
    private static FastPath Narrowed(FastPath path, ConvGeometry geometry) =>
        path == FastPath.Avx512 && geometry.OutChannelsPerGroup <= Lanes(FastPath.Avx2) ? FastPath.Avx2 : path;

    /// <summary>Vector width of the kernels on <paramref name="path"/>, in int32 lanes.</summary>
    public static int Lanes(FastPath path) => path switch
    {
        FastPath.Avx512 => 16,
        FastPath.AvxVnni or FastPath.Avx2 => 8,
        FastPath.Vector => Vector<int>.Count,
        _ => 1,
    };

    /// <summary>
    /// What the padded taps add at each position, <c>sum w[co, k] * padding value</c>, [positions, width]:
    /// im2col clears the padding, and this table adds back what the ReferenceEngine's padded taps read.
    /// Integer and exact; the sum of every partial sum stays inside the accumulator bound.
    /// </summary>
    private static int[] Border(ComputeLayer layer, int[] gather, int[] weights, int positions, int width)
    {
        ConvGeometry geometry = layer.Geometry;
        int fanIn = geometry.FanIn;
        var border = new int[positions * width];
        for (int co = 0; co < geometry.OutChannels; co++)
        {
            int group = geometry.GroupOf(co);
            for (int p = 0; p < positions; p++)
            {
                for (int k = 0; k < fanIn; k++)
                {
                    if (gather[(group * positions + p) * fanIn + k] < 0) border[p * width + co] += weights[co * fanIn + k] * layer.PaddingValue(group, k);
                }
            }
        }

        return border;
    }

    /// <summary>
    /// The product of every group over <paramref name="images"/> images: into the accumulators (returned), or,
    /// with <paramref name="fused"/>, requantised straight into that output buffer (the accumulators are then
    /// not written). A <see cref="Batched"/> step's rows are already gathered; the others gather theirs here.
    /// </summary>
    private Span<int> Accumulate(Workspace workspace, int images, byte[]? fused)
    {
        int positions = images * _positions;
        Span<int> acc = workspace.Accumulators.AsSpan(0, positions * _width);
        // In ascending order: a group's padding lanes write zeros into the next groups' columns, which
        // those groups then overwrite.
        foreach (GroupKernel group in _groups)
        {
            PackedWeights packed = group.Weights;
            Span<int> columns = (Batched ? workspace.BatchColumns : workspace.Columns).AsSpan(0, images * group.ColumnUnits);
            if (!Batched)
            {
                group.Im2Col.Gather(Input(workspace), columns, packed.Kind);
                workspace.Timings?.Lap(Index, StepPhase.Im2Col);
            }

            var args = new GemmArgs(columns, packed.Units, packed.Bias, packed.RowUnits, packed.PairedRows, positions, packed.UnitRows, packed.Width);
            Multiply(args, group, acc, fused);
            workspace.Timings?.Lap(Index, StepPhase.Product);
        }

        if (_border is not null)
        {
            for (int i = 0; i < acc.Length; i++) acc[i] += _border[i];
        }

        return acc;
    }

    private void Multiply(in GemmArgs args, GroupKernel group, Span<int> sums, byte[]? fused)
    {
        switch (_path)
        {
            case FastPath.Avx512: Product<Vector512<int>, Width512, Avx512Quad, Avx512Pair, Single512>(args, group, sums, fused); break;
            case FastPath.AvxVnni: Product<Vector256<int>, Width256, VnniQuad, VnniPair, Single256>(args, group, sums, fused); break;
            case FastPath.Avx2: Product<Vector256<int>, Width256, Avx2Quad, Avx2Pair, Single256>(args, group, sums, fused); break;
            // PackedWeights.Choose packs singles only on this path, and an input plane needs quads.
            case FastPath.Vector: Product<Vector<int>, WidthVector, SingleVector, SingleVector, SingleVector>(args, group, sums, fused); break;
            default: GemmScalar.Run(args, sums[group.Column..], _width); break;
        }
    }

    private void Product<TVector, TWidth, TQuad, TPair, TSingle>(in GemmArgs args, GroupKernel group, Span<int> sums, byte[]? fused)
        where TWidth : ISimdWidth<TVector>
        where TQuad : IMulAdd<TVector>
        where TPair : IMulAdd<TVector>
        where TSingle : IMulAdd<TVector>
    {
        switch (group.Weights.Kind)
        {
            case UnitKind.Quad when group.Plane is InputPlane plane:
                Product<TVector, TWidth, TQuad, PlaneColumns>(args, new PlaneColumns(plane.Rows, plane.Taps), sums, group.Column, fused);
                break;
            case UnitKind.Quad: Product<TVector, TWidth, TQuad, PackedColumns>(args, new PackedColumns(args.Units), sums, group.Column, fused); break;
            case UnitKind.Pair: Product<TVector, TWidth, TPair, PackedColumns>(args, new PackedColumns(args.Units), sums, group.Column, fused); break;
            default: Product<TVector, TWidth, TSingle, PackedColumns>(args, new PackedColumns(args.Units), sums, group.Column, fused); break;
        }
    }

    private void Product<TVector, TWidth, TOp, TColumns>(in GemmArgs args, TColumns columns, Span<int> sums, int column, byte[]? fused)
        where TWidth : ISimdWidth<TVector>
        where TOp : IMulAdd<TVector>
        where TColumns : IGemmColumns, allows ref struct
    {
        if (fused is null)
        {
            Gemm.Run<TVector, TWidth, TOp, TColumns, SumsOutput<TVector, TWidth>>(args, columns, new SumsOutput<TVector, TWidth>(sums[column..], _width));
            return;
        }

        RequantizedOutput<TVector, TWidth> requantized = _requantizer!.Output<TVector, TWidth>(fused.AsSpan(0, args.Positions / _positions * PhysicalSize), column);
        if (_pooled) Gemm.Run<TVector, TWidth, TOp, TColumns, MaxPooledOutput<TVector, TWidth>>(args, columns, new MaxPooledOutput<TVector, TWidth>(requantized));
        else Gemm.Run<TVector, TWidth, TOp, TColumns, RequantizedOutput<TVector, TWidth>>(args, columns, requantized);
    }
}
