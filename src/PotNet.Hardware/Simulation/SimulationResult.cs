using System.Globalization;

namespace PotNet.Hardware.Simulation;

/// <summary>What a testbench run reported: per image its cycles, class and logits; the event counters.</summary>
public sealed class SimulationResult
{
    private SimulationResult(IReadOnlyList<ImageOutput> images, EventCounts counters, bool frameError)
    {
        Images = images;
        Counters = counters;
        FrameError = frameError;
    }

    /// <summary>The images' outputs, in order.</summary>
    public IReadOnlyList<ImageOutput> Images { get; }

    /// <summary>The RTL's counters, summed over the run.</summary>
    public EventCounts Counters { get; }

    /// <summary>Whether the input stream's tlast disagreed with the image size.</summary>
    public bool FrameError { get; }

    /// <summary>Counted cycles in which the bench held the stream, over all images: 0 for a steady stream.</summary>
    public long Stalls => Images.Sum(i => i.Stalls);

    /// <summary>Parses the testbench's outputs file of a <paramref name="dataflow"/> design; <paramref name="expected"/> images must be in it.</summary>
    public static SimulationResult Parse(string path, int expected, DataflowKind dataflow)
    {
        var images = new List<ImageOutput>();
        var counters = new Dictionary<string, long>(StringComparer.Ordinal);
        bool frameError = false, done = false;
        foreach (string line in File.ReadLines(path))
        {
            string[] f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length == 0) continue;
            switch (f[0])
            {
                case "image" when f.Length >= 9 && f[2] == "cycles" && f[4] == "stalls" && f[6] == "class" && f[8] == "logits":
                    images.Add(new ImageOutput(Long(f[3]), Long(f[5]), (int)Long(f[7]), [.. f.Skip(9).Select(v => (int)Long(v))]));
                    break;
                case "counter" when f.Length == 3:
                    counters[f[1]] = Long(f[2]);
                    break;
                case "frame_error" when f.Length == 2:
                    frameError = f[1] != "0";
                    break;
                case "done":
                    done = true;
                    break;
                default:
                    throw new PotNetException($"{path}: unexpected line '{line}'");
            }
        }

        if (!done || images.Count != expected)
        {
            throw new PotNetException($"{path}: the simulation stopped after {images.Count} of {expected} images");
        }

        return new SimulationResult(images, EventCounts.FromItems(counters, dataflow), frameError);
    }

    private static long Long(string text) => long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
}

/// <summary>One image's outputs from the accelerator.</summary>
/// <param name="Cycles">Cycles from its first input beat to its class beat, both included.</param>
/// <param name="Stalls">Of those, the cycles in which the bench held the stream (0 for a steady stream).</param>
/// <param name="Class">The class it reported.</param>
/// <param name="Logits">The logits it streamed.</param>
public sealed record ImageOutput(long Cycles, long Stalls, int Class, IReadOnlyList<int> Logits);
