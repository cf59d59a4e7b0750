using PotNet.Data;

namespace PotNet.Engines;

/// <summary>Top-1 accuracy of a classifier on a labelled dataset.</summary>
/// <param name="Images">Images evaluated.</param>
/// <param name="Correct">Images whose predicted class equals the label.</param>
/// <param name="Predictions">The predicted class of each image.</param>
public sealed record Evaluation(int Images, int Correct, IReadOnlyList<int> Predictions)
{
    /// <summary>Correct / Images.</summary>
    public double Accuracy => Images == 0 ? 0 : (double)Correct / Images;

    /// <summary>
    /// Classifies every image of <paramref name="data"/> with <paramref name="classify"/>, which must be
    /// safe to call from several threads, reporting (done, total) through <paramref name="progress"/>
    /// from the calling thread.
    /// </summary>
    public static Evaluation Run(Dataset data, Func<ReadOnlyMemory<byte>, int> classify, Action<int, int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(classify);
        int size = data.Height * data.Width;
        var predictions = new int[data.Count];
        const int Chunk = 250;
        progress?.Invoke(0, data.Count);
        for (int start = 0; start < data.Count; start += Chunk)
        {
            int end = Math.Min(start + Chunk, data.Count);
            Parallel.For(start, end, i => predictions[i] = classify(data.Images.Slice(i * size, size)));
            progress?.Invoke(end, data.Count);
        }

        ReadOnlySpan<byte> labels = data.Labels.Span;
        int correct = 0;
        for (int i = 0; i < predictions.Length; i++)
        {
            if (predictions[i] == labels[i]) correct++;
        }

        return new Evaluation(data.Count, correct, predictions);
    }
}
