using PotNet.Model;
using PotNet.Onnx;

namespace PotNet.Cli.Engines;

/// <summary>Which ONNX export of a quantised model ONNX Runtime runs.</summary>
internal enum OnnxFlavor
{
    /// <summary><see cref="OnnxExport.ToFloat(QuantizedModel)"/>: bit-exact while accumulators stay below 2^24.</summary>
    Float,

    /// <summary><see cref="OnnxExport.ToQdq"/>: int8 kernels; requantisation rounds half to even, PotNet half up.</summary>
    Qdq,
}
