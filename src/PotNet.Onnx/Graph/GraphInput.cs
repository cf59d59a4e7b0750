using PotNet.Onnx.Proto;

namespace PotNet.Onnx.Graph;

/// <summary>The graph's one data input: float [N, F], [N, H, W] or [N, C, H, W]; N dynamic or fixed.</summary>
internal static class GraphInput
{
    /// <summary>The input's name, its dimensions without the batch, and the batch when the file fixes it.</summary>
    public static (string Name, long[] Dims, long? FixedBatch) Read(GraphProto graph, IReadOnlyDictionary<string, TensorProto> initializers)
    {
        var inputs = graph.Input.Where(i => !initializers.ContainsKey(i.Name)).ToArray();
        if (inputs.Length != 1) throw new PotNetException($"the graph has {inputs.Length} data inputs ({string.Join(", ", inputs.Select(i => i.Name))}); PotNet imports models with one image input");
        ValueInfoProto input = inputs[0];
        var tensor = input.Type?.TensorType ?? throw new PotNetException($"input '{input.Name}': not a tensor");
        if (tensor.ElemType != (int)TensorProto.Types.DataType.Float) throw new PotNetException($"input '{input.Name}': element type {(TensorProto.Types.DataType)tensor.ElemType}, PotNet imports float inputs");
        var dims = tensor.Shape?.Dim ?? throw new PotNetException($"input '{input.Name}': the shape is not given; PotNet needs [N, F], [N, H, W] or [N, C, H, W] with all but N fixed");
        if (dims.Count is < 2 or > 4) throw new PotNetException($"input '{input.Name}': rank {dims.Count}; PotNet imports inputs [N, F], [N, H, W] or [N, C, H, W]");
        var fixedDims = new long[dims.Count - 1];
        for (int i = 1; i < dims.Count; i++)
        {
            var d = dims[i];
            if (d.ValueCase != TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue || d.DimValue < 1 || d.DimValue > 1 << 24)
            {
                string what = d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam ? $"the dynamic size '{d.DimParam}'" : $"{d.DimValue}";
                throw new PotNetException($"input '{input.Name}': dimension {i} is {what}; only the batch (dimension 0) may be dynamic, the others must be fixed sizes from 1 to 16777216");
            }

            fixedDims[i - 1] = d.DimValue;
        }

        if (fixedDims.Aggregate(1.0, (p, d) => p * d) > 1 << 24) throw new PotNetException($"input '{input.Name}': {IrNode.Text(fixedDims)} is too large (over 2^24 values)");
        var batch = dims[0];
        long? fixedBatch = batch.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue && batch.DimValue > 0 ? batch.DimValue : null;
        return (input.Name, fixedDims, fixedBatch);
    }
}
