using PotNet.Float;
using PotNet.Model;
using PotNet.Onnx.Proto;
using PotNet.Serialization;

namespace PotNet.Onnx;

/// <summary>
/// Writes PotNet models as ONNX (opset 17). Every exported model has one input, "input", float32
/// [N, C, H, W] holding <c>q * 2^-InputExponent</c> (pixel / 256 for images), and one output,
/// "logits", float32 [N, classes].
/// </summary>
public static class OnnxExport
{
    /// <summary>
    /// A float model of a quantised one: dequantised weights <c>w_int * 2^-g</c>, biases
    /// <c>(b_int + 2^(r-1)) * 2^-(f_in + g)</c> (the rounding offset of PotNet's requantisation, for
    /// r &gt; 0), and each hidden layer's requantisation as <c>Clip(Floor(y * 2^f_out), 0, 255) * 2^-f_out</c>
    /// (Mul, Floor, Clip, Mul), which rounds half up exactly as PotNet does. While every accumulator
    /// (with its offset) stays below 2^24 in magnitude, float32 holds every value exactly and ONNX
    /// Runtime's logits equal PotNet's bit for bit (docs/architecture.md, "ONNX").
    /// </summary>
    public static byte[] ToFloat(QuantizedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Write(new NetworkWriter("potnet_float", model.Input), model, new FloatOfQuantized(model));
    }

    /// <summary>
    /// An int8 QDQ model of a quantised one: weights int8 (where every level fits) with per-layer or
    /// per-channel scales 2^-g through DequantizeLinear, int32 biases, u8 activations with scales
    /// 2^-f through QuantizeLinear/DequantizeLinear pairs, which ONNX Runtime fuses into integer
    /// kernels. Its requantisation rounds half to even, so it differs from PotNet at exact ties.
    /// </summary>
    public static byte[] ToQdq(QuantizedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var writer = new NetworkWriter("potnet_qdq", model.Input);
        writer.Requantize("input", model.InputExponent);
        return Write(writer, model, new Qdq(model));
    }

    /// <summary>A plain float model (Conv, Gemm, Relu, MaxPool, AveragePool, Flatten) of a float PotNet model.</summary>
    public static byte[] ToFloat(FloatModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Write(new NetworkWriter("potnet_float", model.Input), model.Layers, [.. model.Layers.Select((_, i) => model.InputShape(i))], model.Sources, model.Shapes[^1].Size, new FloatOfFloat(model));
    }

    /// <summary>Writes <paramref name="model"/> (the bytes of an ONNX file) to <paramref name="path"/> atomically.</summary>
    public static void Save(byte[] model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        AtomicFile.Write(path, stream => stream.Write(model));
    }

    private static byte[] Write(NetworkWriter writer, QuantizedModel model, ILayerStrategy strategy) =>
        Write(writer, model.Layers, model.Plan.Select(step => step.Input).ToArray(), [.. model.Plan.Select(step => step.Sources)], model.ClassCount, strategy);

    /// <summary>
    /// The walk every export shares: pools, flattens and adds are written alike, the weighted layers and
    /// what follows a pool or an add are the <paramref name="strategy"/>'s. <paramref name="inputs"/>[i] is
    /// layer i's input shape, <paramref name="sources"/>[i] the layers it reads (-1: the model's input).
    /// </summary>
    private static byte[] Write(NetworkWriter writer, IReadOnlyList<Layer> layers, Shape[] inputs, IReadOnlyList<IReadOnlyList<int>> sources, int classes, ILayerStrategy strategy)
    {
        var input = writer.Position;
        var outputs = new (string Tensor, bool Vector)[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            writer.MoveTo(sources[i][0] < 0 ? input : outputs[sources[i][0]]);
            switch (layers[i])
            {
                case Pool2d pool:
                    writer.Pool(pool, inputs[i]);
                    strategy.AfterPool(writer, i, pool);
                    break;
                case Flatten flatten:
                    writer.Flatten(flatten.Name);
                    break;
                case ResidualAdd add:
                    writer.Add(add.Name, sources[i][1] < 0 ? input : outputs[sources[i][1]], inputs[i]);
                    strategy.AfterAdd(writer, i, add);
                    break;
                default:
                    // A residual source is added after the convolution, before its requantisation or ReLU.
                    (string, bool)? residual = layers[i].Residual is null ? null : sources[i][^1] < 0 ? input : outputs[sources[i][^1]];
                    if (!strategy.Weighted(writer, i, residual)) throw new NotSupportedException($"layer type {layers[i].TypeName}");
                    break;
            }

            outputs[i] = writer.Position;
        }

        return writer.Finish(classes);
    }

    /// <summary>What one export writes for a weighted layer and after a pool, by layer index.</summary>
    private interface ILayerStrategy
    {
        /// <summary>
        /// Writes layer <paramref name="index"/>, adding the tensor at <paramref name="residual"/> (its residual
        /// source, when it has one) to its output before its requantisation or ReLU; false when it is no
        /// weighted layer this export knows.
        /// </summary>
        bool Weighted(NetworkWriter writer, int index, (string Tensor, bool Vector)? residual);

        void AfterPool(NetworkWriter writer, int index, Pool2d pool);

        /// <summary>After the Add of a residual add: its requantisation, or its ReLU.</summary>
        void AfterAdd(NetworkWriter writer, int index, ResidualAdd add);
    }

    /// <summary><see cref="ToFloat(QuantizedModel)"/>: dequantised tensors, requantisation in float operators.</summary>
    private sealed class FloatOfQuantized(QuantizedModel model) : ILayerStrategy
    {
        public bool Weighted(NetworkWriter writer, int index, (string Tensor, bool Vector)? residual)
        {
            LayerPlan step = model.Plan[index];
            if (step.Layer is not ComputeLayer layer) return false;
            string weights = DequantizedWeights(writer, layer);
            long[] border = BorderSums(layer);
            var bias = new float[layer.Geometry.OutChannels];
            for (int c = 0; c < bias.Length; c++)
            {
                int r = step.OutputExponent is null ? 0 : step.RequantizeShift(c);
                double offset = r > 0 ? Math.ScaleB(1, r - 1) : 0;
                bias[c] = (float)Math.ScaleB(layer.Bias[c] + border[c] + offset, -(step.InputExponent + layer.Weights.ScaleExponent(c)));
            }

            string biasName = writer.Graph.Initializer(OnnxTensors.Float($"{layer.Name}.bias", bias, bias.Length));
            writer.Weighted(layer.Name, layer.Geometry, layer is Dense, step.Input, weights, biasName, step.OutputExponent is null, PaddingValues(layer, step.InputExponent));
            // x * 2^-e_x is on the accumulator's grid (its shift is never negative), so the sum stays exact.
            if (residual is { } source) writer.Add($"{layer.Name}_residual", source, step.Output);
            if (step.OutputExponent is int f) writer.RequantizeInFloat(layer.Name, f, addHalf: false);
            return true;
        }

        // A max pool of u8 values is u8 already; an average pool's rounding shift needs the requantisation.
        public void AfterPool(NetworkWriter writer, int index, Pool2d pool)
        {
            if (pool is AvgPool2d { Shift: > 0 }) writer.RequantizeInFloat(pool.Name, model.Plan[index].InputExponent, addHalf: true);
        }

        // The sum of two u8 activations is exact in float32 (ResidualAdd.MaxAlignment); Floor(x * 2^f + 1/2)
        // is its rounding half up, and an integer x * 2^f (r <= 0) is left as it is.
        public void AfterAdd(NetworkWriter writer, int index, ResidualAdd add) =>
            writer.RequantizeInFloat(add.Name, model.Plan[index].OutputExponent!.Value, addHalf: true);
    }

    /// <summary><see cref="ToQdq"/>: int8 weights where they fit, int32 biases, u8 QDQ pairs after every layer.</summary>
    private sealed class Qdq(QuantizedModel model) : ILayerStrategy
    {
        public bool Weighted(NetworkWriter writer, int index, (string Tensor, bool Vector)? residual)
        {
            LayerPlan step = model.Plan[index];
            if (step.Layer is not ComputeLayer layer) return false;
            string weights = FitsInt8(layer) ? QuantizedWeights(writer, layer) : DequantizedWeights(writer, layer);
            string bias = QuantizedBias(writer, layer, step.InputExponent);
            writer.Weighted(layer.Name, layer.Geometry, layer is Dense, step.Input, weights, bias, step.OutputExponent is null, PaddingValues(layer, step.InputExponent));
            if (residual is { } source) writer.Add($"{layer.Name}_residual", source, step.Output);
            if (step.OutputExponent is int f) writer.Requantize(layer.Name, f);
            return true;
        }

        public void AfterPool(NetworkWriter writer, int index, Pool2d pool) => writer.Requantize(pool.Name, model.Plan[index].InputExponent);

        public void AfterAdd(NetworkWriter writer, int index, ResidualAdd add) => writer.Requantize(add.Name, model.Plan[index].OutputExponent!.Value);
    }

    /// <summary><see cref="ToFloat(FloatModel)"/>: the float tensors as they are, a Relu where the layer has one.</summary>
    private sealed class FloatOfFloat(FloatModel model) : ILayerStrategy
    {
        public bool Weighted(NetworkWriter writer, int index, (string Tensor, bool Vector)? residual)
        {
            if (model.Layers[index] is not FloatComputeLayer layer) return false;
            string weights = writer.Graph.Initializer(OnnxTensors.Float($"{layer.Name}.weight", layer.Weights, WeightDims(layer.Geometry, layer.IsDense)));
            int fanIn = layer.Geometry.FanIn;
            float[] biases = layer.Bias.ToArray();
            for (int c = 0; c < biases.Length; c++)
            {
                double border = 0;
                for (int k = 0; k < fanIn; k++) border += layer.Weights[c * fanIn + k] * layer.PaddingValue(layer.Geometry.GroupOf(c), k);
                biases[c] = (float)(biases[c] + border);
            }

            string bias = writer.Graph.Initializer(OnnxTensors.Float($"{layer.Name}.bias", biases, layer.Geometry.OutChannels));
            float[]? padding = layer.PaddingValues.IsEmpty ? null : layer.PaddingValues.ToArray().Select(v => (float)v).ToArray();
            writer.Weighted(layer.Name, layer.Geometry, layer.IsDense, model.InputShape(index), weights, bias, last: index == model.Layers.Count - 1, padding);
            if (residual is { } source) writer.Add($"{layer.Name}_residual", source, model.Shapes[index + 1]);
            if (layer.Relu) writer.Apply("Relu", $"{layer.Name}_relu");
            return true;
        }

        public void AfterPool(NetworkWriter writer, int index, Pool2d pool)
        {
            // A float pool's output is final: nothing is requantised.
        }

        public void AfterAdd(NetworkWriter writer, int index, ResidualAdd add) => writer.Apply("Relu", $"{add.Name}_relu");
    }

    /// <summary>Per output channel, <c>sum w_int * padding value</c> over every tap: what the bias gains when the convolution reads <c>x - padding value</c>.</summary>
    private static long[] BorderSums(ComputeLayer layer)
    {
        int[] weights = layer.DecodeWeights();
        int fanIn = layer.Geometry.FanIn;
        var sums = new long[layer.Geometry.OutChannels];
        for (int c = 0; c < sums.Length; c++)
        {
            for (int k = 0; k < fanIn; k++) sums[c] += (long)weights[c * fanIn + k] * layer.PaddingValue(layer.Geometry.GroupOf(c), k);
        }

        return sums;
    }

    /// <summary>The padding values as real inputs, <c>value * 2^-f_in</c>; null when the border reads 0.</summary>
    private static float[]? PaddingValues(ComputeLayer layer, int inputExponent) =>
        layer.PaddingValues.IsEmpty ? null : layer.PaddingValues.ToArray().Select(v => (float)Math.ScaleB(v, -inputExponent)).ToArray();

    private static long[] WeightDims(ConvGeometry g, bool dense) =>
        dense ? [g.OutChannels, g.InChannels] : [.. g.WeightShape.Select(d => (long)d)];

    /// <summary>Float weights <c>w_int * 2^-g</c>; exact, since every level has at most 8 significant bits.</summary>
    private static string DequantizedWeights(NetworkWriter writer, ComputeLayer layer)
    {
        int[] levels = layer.DecodeWeights();
        int fanIn = layer.Geometry.FanIn;
        var weights = new float[levels.Length];
        for (int i = 0; i < levels.Length; i++) weights[i] = (float)Math.ScaleB(levels[i], -layer.Weights.ScaleExponent(i / fanIn));
        return writer.Graph.Initializer(OnnxTensors.Float($"{layer.Name}.weight", weights, WeightDims(layer.Geometry, layer is Dense)));
    }

    private static bool FitsInt8(ComputeLayer layer) => layer.DecodeWeights().All(w => w is >= sbyte.MinValue + 1 and <= sbyte.MaxValue);

    /// <summary>int8 levels through DequantizeLinear with scales 2^-g (per channel: axis 0).</summary>
    private static string QuantizedWeights(NetworkWriter writer, ComputeLayer layer)
    {
        sbyte[] levels = Array.ConvertAll(layer.DecodeWeights(), w => (sbyte)w);
        int[] exponents = layer.Weights.ScaleExponents.ToArray();
        float[] scales = Array.ConvertAll(exponents, g => (float)Math.ScaleB(1, -g));
        long[] scaleDims = layer.Weights.PerChannel ? [scales.Length] : [];
        var graph = writer.Graph;
        string q = graph.Initializer(OnnxTensors.Int8($"{layer.Name}.weight_q", levels, WeightDims(layer.Geometry, layer is Dense)));
        string scale = graph.Initializer(OnnxTensors.Float($"{layer.Name}.weight_scale", scales, scaleDims));
        string zero = graph.Initializer(OnnxTensors.Int8($"{layer.Name}.weight_zero", new sbyte[scales.Length], scaleDims));
        return graph.Node("DequantizeLinear", [q, scale, zero], $"{layer.Name}.weight",
            layer.Weights.PerChannel ? [GraphBuilder.Int("axis", 0)] : []);
    }

    /// <summary>int32 biases through DequantizeLinear with the accumulator's scales 2^-(f_in + g).</summary>
    private static string QuantizedBias(NetworkWriter writer, ComputeLayer layer, int inputExponent)
    {
        int channels = layer.Geometry.OutChannels;
        var scales = new float[channels];
        for (int c = 0; c < channels; c++) scales[c] = (float)Math.ScaleB(1, -(inputExponent + layer.Weights.ScaleExponent(c)));
        var graph = writer.Graph;
        long[] border = BorderSums(layer);
        int[] biases = layer.Bias.ToArray().Select((b, c) => checked((int)(b + border[c]))).ToArray();
        string q = graph.Initializer(OnnxTensors.Int32($"{layer.Name}.bias_q", biases, channels));
        string scale = graph.Initializer(OnnxTensors.Float($"{layer.Name}.bias_scale", scales, channels));
        return graph.Node("DequantizeLinear", [q, scale], $"{layer.Name}.bias", GraphBuilder.Int("axis", 0));
    }
}
