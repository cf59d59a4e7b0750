using PotNet.Engines;
using PotNet.Model;

namespace PotNet.Hardware.Switching;

/// <summary>One cycle of a lane's inputs: enable, the activation and the weight code.</summary>
public readonly record struct LaneInput(bool Enable, byte X, int Code);

/// <summary>
/// The operands one lane (lane 0 of PE 0) meets, cycle by cycle, over whole inferences of real
/// images: the schedule's address and code tables applied to the activations the ReferenceEngine
/// computes. What the lane's gates see in the accelerator, so what their switching is measured on.
/// </summary>
public static class OperandTrace
{
    /// <summary>The trace of <paramref name="images"/>, one inference after another, cut at <paramref name="maxCycles"/>.</summary>
    public static IReadOnlyList<LaneInput> Of(Schedule schedule, IEnumerable<ReadOnlyMemory<byte>> images, int maxCycles)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        ArgumentNullException.ThrowIfNull(images);
        var engine = new ReferenceEngine(schedule.Model);
        var trace = new List<LaneInput>();
        foreach (ReadOnlyMemory<byte> image in images)
        {
            IReadOnlyList<byte[]> inputs = engine.LayerInputs(image.Span);
            foreach (Pass pass in schedule.Passes.Where(p => p.IsCompute))
            {
                byte[] source = inputs[LayerIndex(schedule.Model, pass)];
                foreach (Issue issue in StreamDataflow.Issues(pass))
                {
                    int address = pass.Lane(issue, 0);
                    bool enable = address != Pass.Idle;
                    byte x = address >= 0 ? source[address] : (byte)0;
                    trace.Add(new LaneInput(enable, x, schedule.LaneCode(pass, 0, issue, 0)));
                    if (trace.Count == maxCycles) return trace;
                }
            }
        }

        return trace;
    }

    private static int LayerIndex(QuantizedModel model, Pass pass)
    {
        for (int i = 0; i < model.Plan.Count; i++)
        {
            if (ReferenceEquals(model.Plan[i], pass.Step)) return i;
        }

        throw new InvalidOperationException($"pass {pass.Name} is not a layer of its model");
    }
}
