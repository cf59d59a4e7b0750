using System.Text.Json;
using PotNet.Formats;
using PotNet.Model;

namespace PotNet.Serialization;

/// <summary>
/// Reads <c>model.json</c> and the tensors it names into a <see cref="QuantizedModel"/>, checking
/// every field and every tensor's shape and type against the graph.
/// </summary>
internal sealed class ModelJsonReader(string file, Func<string, NpyArray> readTensor)
{
    public QuantizedModel Read(JsonElement root)
    {
        JsonFields model = JsonFields.Root(root, file);
        string format = model.String("format");
        if (format != ModelFile.FormatName) throw model.Error("format", $"'{format}' is not '{ModelFile.FormatName}'");
        int version = model.Int("version");
        if (version != ModelFile.Version)
        {
            throw model.Error("version", $"{version} is not supported (this PotNet reads version {ModelFile.Version})");
        }

        JsonFields input = model.Object("input");
        int[] shape = input.Ints("shape");
        if (shape.Length != 3) throw input.Error("shape", $"has {shape.Length} dimensions, expected 3 (channels, height, width)");
        int exponent = input.Int("exponent");
        if (Math.Abs(exponent) > Exponents.Limit) throw input.Error("exponent", $"{exponent} is outside [-{Exponents.Limit}, {Exponents.Limit}]");

        Layer[] layers = model.Objects("layers").Select(ReadLayer).ToArray();
        Provenance provenance = model.OptionalObject("provenance") is JsonFields p ? ReadProvenance(p) : new Provenance();
        return new QuantizedModel(new Shape(shape[0], shape[1], shape[2]), layers, provenance, exponent);
    }

    private Layer ReadLayer(JsonFields layer)
    {
        string name = layer.String("name");
        string type = layer.String("type");
        try
        {
            return type switch
            {
                "conv2d" => ReadConv2d(layer, name),
                "dense" => ReadDense(layer, name),
                "maxpool2d" => new MaxPool2d(name, layer.Int("kernel"), layer.Int("stride")),
                "avgpool2d" => new AvgPool2d(name, layer.Int("kernel"), layer.Int("stride")),
                "flatten" => new Flatten(name),
                _ => throw layer.Error("type", $"'{type}' is not a supported layer (conv2d, dense, maxpool2d, avgpool2d, flatten)"),
            };
        }
        catch (PotNetException ex) when (!ex.Message.StartsWith(file, StringComparison.Ordinal))
        {
            throw new PotNetException($"{file}: {layer.Path}: {ex.Message}", ex);
        }
    }

    private Conv2d ReadConv2d(JsonFields layer, string name)
    {
        int[] kernel = layer.Ints("kernel");
        if (kernel.Length != 2) throw layer.Error("kernel", $"has {kernel.Length} values, expected 2 (height, width)");
        var geometry = new ConvGeometry(layer.Int("in_channels"), layer.Int("out_channels"), kernel[0], kernel[1], layer.Int("stride"), layer.Int("padding"));
        geometry.Validate(layer.Error);
        (QuantizedWeights weights, int[] bias, int? f) = ReadCompute(layer, geometry, geometry.WeightShape);
        return new Conv2d(name, geometry, weights, bias, f);
    }

    private Dense ReadDense(JsonFields layer, string name)
    {
        var geometry = ConvGeometry.Dense(layer.Int("in_features"), layer.Int("out_features"));
        geometry.Validate(layer.Error);
        (QuantizedWeights weights, int[] bias, int? f) = ReadCompute(layer, geometry, [geometry.OutChannels, geometry.InChannels]);
        return new Dense(name, geometry.InChannels, geometry.OutChannels, weights, bias, f);
    }

    private (QuantizedWeights Weights, int[] Bias, int? OutputExponent) ReadCompute(JsonFields layer, ConvGeometry geometry, int[] weightShape)
    {
        JsonFields weights = layer.Object("weights");
        string formatName = weights.String("format");
        if (!WeightFormat.TryParse(formatName, out WeightFormat? format))
        {
            throw weights.Error("format", $"'{formatName}' is not a weight format (pot2..pot8, uniform2..uniform8, apot2..apot8)");
        }

        string roundingName = weights.OptionalString("rounding") ?? Rounding.Nearest.Name();
        Rounding rounding = RoundingNames.Parse(roundingName) ?? throw weights.Error("rounding", $"'{roundingName}' is not nearest or log");
        bool perChannel = weights.String("granularity") switch
        {
            "layer" => false,
            "channel" => true,
            string other => throw weights.Error("granularity", $"'{other}' is not layer or channel"),
        };

        int outChannels = geometry.OutChannels;
        byte[] codes = Tensor(weights, "codes", weightShape).ToBytes(Describe(weights, "codes"));
        int[] exponents = Tensor(weights, "scale_exponents", [perChannel ? outChannels : 1]).ToInt32(Describe(weights, "scale_exponents"));
        int[] bias = Tensor(layer, "bias", [outChannels]).ToInt32(Describe(layer, "bias"));
        int? outputExponent = layer.OptionalInt("output_exponent");
        if (layer.Bool("relu") != outputExponent is not null)
        {
            throw layer.Error("relu", "must be true exactly when output_exponent is set: requantisation to u8 clamps at 0, the last layer's logits do not");
        }

        return (new QuantizedWeights(format, outChannels, codes, exponents, rounding), bias, outputExponent);
    }

    private NpyArray Tensor(JsonFields owner, string field, int[] expectedShape)
    {
        string name = owner.String(field);
        NpyArray tensor = readTensor(name);
        if (!tensor.Shape.SequenceEqual(expectedShape))
        {
            throw owner.Error(field, $"tensor '{name}' has shape ({string.Join(", ", tensor.Shape)}), expected ({string.Join(", ", expectedShape)})");
        }

        return tensor;
    }

    private string Describe(JsonFields owner, string field) => $"{file}: {owner.Path}.{field}";

    private static Provenance ReadProvenance(JsonFields p)
    {
        DateTimeOffset? created = p.OptionalString("created") is string text
            ? DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out DateTimeOffset t) ? t : throw p.Error("created", $"'{text}' is not a date")
            : null;
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (p.OptionalObject("settings") is JsonFields s)
        {
            foreach ((string key, JsonElement value) in s.Properties()) settings[key] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        }

        var accuracy = new SortedDictionary<string, double>(StringComparer.Ordinal);
        if (p.OptionalObject("accuracy") is JsonFields a)
        {
            foreach ((string key, JsonElement value) in a.Properties())
            {
                accuracy[key] = value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw a.Error(key, "is not a number");
            }
        }

        return new Provenance
        {
            CreatedBy = p.OptionalString("created_by") ?? "unknown",
            Created = created,
            Source = p.OptionalString("source"),
            Dataset = p.OptionalString("dataset"),
            Settings = settings,
            Accuracy = accuracy,
        };
    }
}
