using Microsoft.ML.OnnxRuntime;

namespace PotNet.Onnx.Tests;

/// <summary>Runs an ONNX model in ONNX Runtime (the reference): one float input, the first output.</summary>
internal sealed class OrtRunner : IDisposable
{
    private readonly InferenceSession _session;

    public OrtRunner(byte[] model)
    {
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        _session = new InferenceSession(model, options);
    }

    /// <summary>Runs <paramref name="inputs"/> (each one sample, flattened) as one batch; returns one output row per sample.</summary>
    public float[][] Run(IReadOnlyList<float[]> inputs, params long[] sampleShape)
    {
        int size = inputs[0].Length;
        var batch = new float[inputs.Count * size];
        for (int i = 0; i < inputs.Count; i++) inputs[i].CopyTo(batch, i * size);
        long[] shape = [inputs.Count, .. sampleShape];
        using var input = OrtValue.CreateTensorValueFromMemory(batch, shape);
        using var runOptions = new RunOptions();
        string inputName = _session.InputNames[0], outputName = _session.OutputNames[0];
        using IDisposableReadOnlyCollection<OrtValue> outputs = _session.Run(runOptions, [inputName], [input], [outputName]);
        float[] result = outputs[0].GetTensorDataAsSpan<float>().ToArray();
        int width = result.Length / inputs.Count;
        return Enumerable.Range(0, inputs.Count).Select(i => result.AsSpan(i * width, width).ToArray()).ToArray();
    }

    /// <summary>u8 images as PotNet's real inputs, <c>pixel / 256</c>.</summary>
    public static float[] Pixels(byte[] image) => Array.ConvertAll(image, p => p / 256f);

    public void Dispose() => _session.Dispose();
}
