namespace PotNet.Onnx.Graph;

/// <summary>MaxPool, AveragePool or GlobalAveragePool: square windows without padding, floor mode.</summary>
internal sealed class PoolNode(string opType, string name, string input, string output, long[] dims, long[] inputDims, bool average, int kernel, int stride)
    : IrNode(opType, name, [input], output, dims)
{
    /// <summary>The input's [C, H, W].</summary>
    public long[] InputDims { get; } = inputDims;

    /// <summary>True for an average pool.</summary>
    public bool Average { get; } = average;

    /// <summary>Window side.</summary>
    public int Kernel { get; } = kernel;

    /// <summary>Step between windows.</summary>
    public int Stride { get; } = stride;
}
