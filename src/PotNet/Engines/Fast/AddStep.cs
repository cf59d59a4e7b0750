using PotNet.Model;

namespace PotNet.Engines.Fast;

/// <summary>
/// A residual add, element by element in the first input's layout: both inputs shifted to the common
/// exponent, summed, and requantised with <see cref="Requantization.Requantize"/> (the ReferenceEngine's
/// definition). Cheap beside the convolutions around it (one add per activation), so not vectorised.
/// </summary>
internal sealed class AddStep : FastStep
{
    private readonly int[] _first, _second;
    private readonly int _shiftFirst, _shiftSecond, _shift;

    public AddStep(LayerPlan step, int[] firstLayout, int[] secondLayout, int firstSize)
    {
        _first = firstLayout;
        _second = secondLayout;
        _shiftFirst = step.AlignShift(0);
        _shiftSecond = step.AlignShift(1);
        _shift = step.RequantizeShift(0);
        PhysicalSize = firstSize;
    }

    public override int[] Layout => _first;

    public override int PhysicalSize { get; }

    public override void Run(Workspace workspace)
    {
        workspace.Timings?.Start();
        byte[] a = Input(workspace, 0), b = Input(workspace, 1), y = Output(workspace);
        for (int i = 0; i < _first.Length; i++)
        {
            int p = _first[i];
            y[p] = Requantization.Requantize((a[p] << _shiftFirst) + (b[_second[i]] << _shiftSecond), _shift);
        }

        workspace.Timings?.Lap(Index, StepPhase.Other);
    }
}
