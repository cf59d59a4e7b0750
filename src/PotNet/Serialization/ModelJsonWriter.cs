using System.Text.Json;
using PotNet.Formats;
using PotNet.Model;

namespace PotNet.Serialization;

/// <summary>Writes a model's <c>model.json</c>: everything but the tensors, which it names.</summary>
internal static class ModelJsonWriter
{
    public static void Write(QuantizedModel model, Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("format", ModelFile.FormatName);
        json.WriteNumber("version", ModelFile.Version);
        json.WriteStartObject("input");
        WriteInts(json, "shape", [model.Input.Channels, model.Input.Height, model.Input.Width]);
        json.WriteNumber("exponent", model.InputExponent);
        json.WriteEndObject();
        json.WriteStartArray("layers");
        foreach (Layer layer in model.Layers) WriteLayer(json, layer);
        json.WriteEndArray();
        WriteProvenance(json, model.Provenance);
        json.WriteEndObject();
    }

    private static void WriteLayer(Utf8JsonWriter json, Layer layer)
    {
        json.WriteStartObject();
        json.WriteString("name", layer.Name);
        json.WriteString("type", layer.TypeName);
        if (layer.Inputs.Count > 0)
        {
            json.WriteStartArray("inputs");
            foreach (string input in layer.Inputs) json.WriteStringValue(input);
            json.WriteEndArray();
        }

        if (layer.Residual is string residual) json.WriteString("residual", residual);
        switch (layer)
        {
            case Dense dense:
                json.WriteNumber("in_features", dense.Geometry.InChannels);
                json.WriteNumber("out_features", dense.Geometry.OutChannels);
                WriteCompute(json, dense);
                break;
            case Conv2d conv:
                ConvGeometry g = conv.Geometry;
                json.WriteNumber("in_channels", g.InChannels);
                json.WriteNumber("out_channels", g.OutChannels);
                WriteInts(json, "kernel", [g.KernelHeight, g.KernelWidth]);
                json.WriteNumber("stride", g.Stride);
                json.WriteNumber("padding", g.Padding);
                if (g.Groups != 1) json.WriteNumber("groups", g.Groups);
                if (!conv.PaddingValues.IsEmpty) WriteInts(json, "padding_value", [.. conv.PaddingValues.ToArray().Select(v => (int)v)]);
                WriteCompute(json, conv);
                break;
            case Pool2d pool:
                json.WriteNumber("kernel", pool.Kernel);
                json.WriteNumber("stride", pool.Stride);
                break;
            case ResidualAdd add:
                json.WriteNumber("output_exponent", add.OutputExponent ?? throw new InvalidOperationException($"layer '{add.Name}': a quantised add has an output exponent"));
                break;
            case Flatten:
                break;
        }

        json.WriteEndObject();
    }

    private static void WriteCompute(Utf8JsonWriter json, ComputeLayer layer)
    {
        json.WriteStartObject("weights");
        json.WriteString("format", layer.Weights.Format.Name);
        json.WriteString("rounding", layer.Weights.Rounding.Name());
        json.WriteString("granularity", layer.Weights.PerChannel ? "channel" : "layer");
        json.WriteString("codes", TensorNames.Codes(layer.Name));
        json.WriteString("scale_exponents", TensorNames.ScaleExponents(layer.Name));
        json.WriteEndObject();
        json.WriteString("bias", TensorNames.Bias(layer.Name));
        if (layer.OutputExponent is int f) json.WriteNumber("output_exponent", f);
        else json.WriteNull("output_exponent");
        json.WriteBoolean("relu", layer.Relu);
    }

    private static void WriteProvenance(Utf8JsonWriter json, Provenance provenance)
    {
        json.WriteStartObject("provenance");
        json.WriteString("created_by", provenance.CreatedBy);
        if (provenance.Created is DateTimeOffset created) json.WriteString("created", created);
        if (provenance.Source is string source) json.WriteString("source", source);
        if (provenance.Dataset is string dataset) json.WriteString("dataset", dataset);
        json.WriteStartObject("settings");
        foreach ((string key, string value) in provenance.Settings) json.WriteString(key, value);
        json.WriteEndObject();
        json.WriteStartObject("accuracy");
        foreach ((string key, double value) in provenance.Accuracy) json.WriteNumber(key, value);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteInts(Utf8JsonWriter json, string name, int[] values)
    {
        json.WriteStartArray(name);
        foreach (int v in values) json.WriteNumberValue(v);
        json.WriteEndArray();
    }
}
