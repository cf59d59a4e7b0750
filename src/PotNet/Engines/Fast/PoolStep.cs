using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using PotNet.Model;

namespace PotNet.Engines.Fast;

/// <summary>
/// Max or average pooling over the windows of <c>Pool2d.Windows</c>. When the input is channels-last
/// with a row stride that is a multiple of 16, 16 channels at a time (max on u8; the average as a u16
/// sum, exact for windows up to 256, and the rounding shift); otherwise element by element. The output
/// is channels-last without gaps (row stride = channels), so that the next layer's im2col rows are long
/// runs (lenet5's conv2 over 6 channels: 5 runs of 30 bytes per position, not 25 of 6): the 16-byte
/// stores run in ascending order, each spilling into bytes that later stores overwrite, the last into
/// the buffer's slack.
/// </summary>
internal sealed class PoolStep : FastStep
{
    private const int Chunk = 16;
    private readonly int[] _windows;
    private readonly int[] _layout;
    private readonly int _size, _stride, _channels;
    private readonly int? _shift;
    private readonly bool _vector;

    public PoolStep(LayerPlan step, int[] inputLayout, FastPath path)
    {
        var pool = (Pool2d)step.Layer;
        _size = pool.Kernel * pool.Kernel;
        _channels = step.Output.Channels;
        _shift = (pool as AvgPool2d)?.Shift;
        int[] windows = ToPhysical(pool.Windows(step.Input, step.Output), inputLayout);
        int inputPositions = step.Input.Height * step.Input.Width, positions = step.Output.Height * step.Output.Width;
        int stride = inputPositions > 1 ? inputLayout[1] : 0;
        _vector = path != FastPath.Scalar && stride % Chunk == 0 && stride >= _channels && _size <= 256
            && Enumerable.Range(0, inputLayout.Length).All(i => inputLayout[i] == i % inputPositions * stride + i / inputPositions);
        _stride = _channels;
        _layout = ChannelsLast(step.Output, _stride);
        PhysicalSize = positions * _stride;

        // Element o's window moves to where o lands; vectors read channel 0's window of each position.
        int rows = _vector ? positions : step.Output.Size;
        _windows = new int[rows * _size];
        for (int o = 0; o < rows; o++)
        {
            int to = _vector ? o : _layout[o];
            Array.Copy(windows, o * _size, _windows, to * _size, _size);
        }
    }

    public override int[] Layout => _layout;

    public override int PhysicalSize { get; }

    public override void Run(Workspace workspace)
    {
        workspace.Timings?.Start();
        if (_vector) RunVector(Input(workspace), Output(workspace));
        else RunScalar(Input(workspace), Output(workspace));
        workspace.Timings?.Lap(Index, StepPhase.Other);
    }

    private void RunVector(byte[] input, byte[] output)
    {
        ref byte source = ref MemoryMarshal.GetArrayDataReference(input);
        ref byte target = ref MemoryMarshal.GetArrayDataReference(output);
        ReadOnlySpan<int> windows = _windows;
        for (int o = 0; o < windows.Length / _size; o++)
        {
            ReadOnlySpan<int> window = windows.Slice(o * _size, _size);
            for (int c = 0; c < _channels; c += Chunk)
            {
                Vector128<byte> result;
                if (_shift is int shift)
                {
                    Vector128<ushort> low = Vector128<ushort>.Zero, high = Vector128<ushort>.Zero;
                    foreach (int i in window)
                    {
                        (Vector128<ushort> l, Vector128<ushort> h) = Vector128.Widen(Vector128.LoadUnsafe(ref source, (nuint)(i + c)));
                        low += l;
                        high += h;
                    }

                    var half = Vector128.Create((ushort)(shift == 0 ? 0 : 1 << (shift - 1)));
                    result = Vector128.Narrow((low + half) >>> shift, (high + half) >>> shift);
                }
                else
                {
                    result = Vector128.LoadUnsafe(ref source, (nuint)(window[0] + c));
                    foreach (int i in window[1..]) result = Vector128.Max(result, Vector128.LoadUnsafe(ref source, (nuint)(i + c)));
                }

                result.StoreUnsafe(ref target, (nuint)(o * _stride + c));
            }
        }
    }

    private void RunScalar(byte[] input, byte[] output)
    {
        ReadOnlySpan<int> windows = _windows;
        foreach (int o in _layout)
        {
            int total = 0, max = 0;
            foreach (int i in windows.Slice(o * _size, _size))
            {
                byte x = input[i];
                total += x;
                max = Math.Max(max, x);
            }

            output[o] = _shift is int shift ? (byte)Requantization.RoundingShift(total, shift) : (byte)max;
        }
    }
}
