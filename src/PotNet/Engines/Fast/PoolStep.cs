using PotNet.Model;

namespace PotNet.Engines.Fast;

/// <summary>Max or average pooling over the windows of <c>Pool2d.Windows</c>, written channels-last.</summary>
internal sealed class PoolStep : FastStep
{
    private readonly int[] _windows;
    private readonly int[] _layout;
    private readonly int _size;
    private readonly int? _shift;

    public PoolStep(LayerPlan step, int[] inputLayout, int zeroSlot)
    {
        var pool = (Pool2d)step.Layer;
        _size = pool.Kernel * pool.Kernel;
        _layout = ChannelsLast(step.Output);
        _shift = (pool as AvgPool2d)?.Shift;
        int[] logical = ToPhysical(pool.Windows(step.Input, step.Output), inputLayout, zeroSlot);

        // Reordered so that output element o (physical) reads windows [o * size, (o + 1) * size).
        _windows = new int[logical.Length];
        for (int o = 0; o < step.Output.Size; o++)
        {
            Array.Copy(logical, o * _size, _windows, _layout[o] * _size, _size);
        }
    }

    public override int[] Layout => _layout;

    public override void Run(Workspace workspace)
    {
        ReadOnlySpan<byte> input = workspace.Front;
        Span<byte> output = workspace.Back.AsSpan(0, _layout.Length);
        ReadOnlySpan<int> windows = _windows;
        for (int o = 0; o < output.Length; o++)
        {
            ReadOnlySpan<int> window = windows.Slice(o * _size, _size);
            int total = 0, max = 0;
            foreach (int i in window)
            {
                byte x = input[i];
                total += x;
                max = Math.Max(max, x);
            }

            output[o] = _shift is int shift ? (byte)Requantization.RoundingShift(total, shift) : (byte)max;
        }
    }
}
