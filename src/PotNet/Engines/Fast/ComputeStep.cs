using PotNet.Engines;
using System.Numerics;
using System.Runtime.Intrinsics;
using PotNet.Model;

namespace PotNet.Engines.Fast;

/// <summary>
/// A convolution or dense layer: im2col through a precomputed table (from <c>ConvGeometry.Gather</c>),
/// the packed product on the chosen path, then requantisation to channels-last u8, or the logits.
/// </summary>
internal sealed class ComputeStep : FastStep
{
    private readonly FastPath _path;
    private readonly PackedWeights _weights;
    private readonly Im2Col _im2col;
    private readonly Requantizer? _requantizer;
    private readonly int[] _layout;
    private readonly int[]? _border;
    private readonly int _positions, _channels, _stride;

    public ComputeStep(LayerPlan step, int[] inputLayout, FastPath path)
    {
        var layer = (ComputeLayer)step.Layer;
        _path = path;
        _positions = step.Output.Height * step.Output.Width;
        _channels = layer.Geometry.OutChannels;
        int fanIn = layer.Geometry.FanIn;
        int[] gather = ToPhysical(layer.Geometry.Gather(step.Input, step.Output), inputLayout);
        int[] order = ReductionOrder(gather, fanIn);
        int[] weights = layer.DecodeWeights();
        _weights = PackedWeights.Pack(weights, layer.Bias, order, PackedWeights.Choose(weights, order, _channels, path), Lanes(path));
        // Rows of whole 16-byte chunks let the next pool work on vectors.
        _stride = path == FastPath.Scalar ? _weights.Width : (_weights.Width + 15) / 16 * 16;
        _layout = ChannelsLast(step.Output, _stride);

        int length = _weights.Length;
        var table = new int[_positions * length];
        for (int p = 0; p < _positions; p++)
        {
            for (int j = 0; j < length; j++) table[p * length + j] = j < fanIn ? gather[p * fanIn + order[j]] : -1;
        }

        _im2col = new Im2Col(table, length);
        _border = layer.PaddingValues.IsEmpty ? null : Border(layer, gather, weights, _positions, _weights.Width);
        if (layer.Relu)
        {
            _requantizer = new Requantizer([.. Enumerable.Range(0, _channels).Select(step.RequantizeShift)], _weights.Width, _stride, path);
        }
    }

    public override int[] Layout => _layout;

    public override int PhysicalSize => _positions * _stride;

    public override int ColumnUnits => _positions * _weights.Groups;

    public override int AccumulatorCount => _positions * _weights.Width;

    /// <summary>The unit the weights were packed as (for tests and reports).</summary>
    public UnitKind Kind => _weights.Kind;

    public override void Run(Workspace workspace)
    {
        _requantizer!.Run(Accumulate(workspace), Output(workspace).AsSpan(0, PhysicalSize), _positions);
    }

    /// <summary>Writes the logits (CHW order) of the last layer.</summary>
    public void RunLogits(Workspace workspace, Span<int> logits)
    {
        ReadOnlySpan<int> acc = Accumulate(workspace);
        for (int p = 0; p < _positions; p++)
        {
            for (int co = 0; co < _channels; co++) logits[co * _positions + p] = acc[p * _weights.Width + co];
        }
    }

    /// <summary>Vector width of the kernels on <paramref name="path"/>, in int32 lanes.</summary>
    public static int Lanes(FastPath path) => path switch
    {
        FastPath.Avx512 => 16,
        FastPath.AvxVnni or FastPath.Avx2 => 8,
        FastPath.Vector => Vector<int>.Count,
        _ => 1,
    };

    /// <summary>
    /// The order of the reduction indices: ascending physical input index at a position clear of the
    /// padding, so that each position's im2col row reads runs of consecutive bytes. Any order gives
    /// the same sums; this one only reads memory better.
    /// </summary>
    private static int[] ReductionOrder(int[] gather, int fanIn)
    {
        int[] order = Enumerable.Range(0, fanIn).ToArray();
        for (int p = 0; p < gather.Length / fanIn; p++)
        {
            int[] row = gather[(p * fanIn)..((p + 1) * fanIn)];
            if (Array.IndexOf(row, -1) < 0)
            {
                Array.Sort(row, order);
                break;
            }
        }

        return order;
    }

    /// <summary>
    /// What the padded taps add at each position, <c>sum w[co, k] * padding value</c>, [positions, width]:
    /// im2col clears the padding, and this table adds back what the ReferenceEngine's padded taps read.
    /// Integer and exact; the sum of every partial sum stays inside the accumulator bound.
    /// </summary>
    private static int[] Border(ComputeLayer layer, int[] gather, int[] weights, int positions, int width)
    {
        int fanIn = layer.Geometry.FanIn;
        var border = new int[positions * width];
        for (int p = 0; p < positions; p++)
        {
            for (int k = 0; k < fanIn; k++)
            {
                if (gather[p * fanIn + k] >= 0) continue;
                for (int co = 0; co < layer.Geometry.OutChannels; co++) border[p * width + co] += weights[co * fanIn + k] * layer.PaddingValue(k);
            }
        }

        return border;
    }

    private ReadOnlySpan<int> Accumulate(Workspace workspace)
    {
        Span<int> columns = workspace.Columns.AsSpan(0, ColumnUnits);
        _im2col.Gather(Input(workspace), columns, _weights.Kind);

        Span<int> acc = workspace.Accumulators.AsSpan(0, AccumulatorCount);
        var args = new GemmArgs(columns, _weights.Units, _weights.Bias, acc, _positions, _weights.Groups, _weights.Width);
        switch (_path, _weights.Kind)
        {
            case (FastPath.Avx512, UnitKind.Quad): Gemm.Run<Vector512<int>, Width512, Avx512Quad>(args); break;
            case (FastPath.Avx512, UnitKind.Pair): Gemm.Run<Vector512<int>, Width512, Avx512Pair>(args); break;
            case (FastPath.Avx512, _): Gemm.Run<Vector512<int>, Width512, Single512>(args); break;
            case (FastPath.AvxVnni, UnitKind.Quad): Gemm.Run<Vector256<int>, Width256, VnniQuad>(args); break;
            case (FastPath.AvxVnni, UnitKind.Pair): Gemm.Run<Vector256<int>, Width256, VnniPair>(args); break;
            case (FastPath.Avx2, UnitKind.Quad): Gemm.Run<Vector256<int>, Width256, Avx2Quad>(args); break;
            case (FastPath.Avx2, UnitKind.Pair): Gemm.Run<Vector256<int>, Width256, Avx2Pair>(args); break;
            case (FastPath.AvxVnni or FastPath.Avx2, _): Gemm.Run<Vector256<int>, Width256, Single256>(args); break;
            case (FastPath.Vector, _): Gemm.Run<Vector<int>, WidthVector, SingleVector>(args); break;
            default: GemmScalar.Run(args); break;
        }

        if (_border is not null)
        {
            for (int i = 0; i < acc.Length; i++) acc[i] += _border[i];
        }

        return acc;
    }
}
