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
    private int _version;

    public QuantizedModel Read(JsonElement root)
    {
        JsonFields model = JsonFields.Root(root, file);
        string format = model.Text("format");
        if (format != ModelFile.FormatName) throw model.Error("format", $"'{format}' is not '{ModelFile.FormatName}'");
        int version = model.Whole("version");
        if (version is < ModelFile.OldestVersion or > ModelFile.Version)
        {
            throw model.Error("version", $"{version} is not supported (this PotNet reads versions {ModelFile.OldestVersion} to {ModelFile.Version})");
        }

        _version = version;

        JsonFields input = model.Child("input");
        int[] shape = input.Wholes("shape");
        if (shape.Length != 3) throw input.Error("shape", $"has {shape.Length} dimensions, expected 3 (channels, height, width)");
        int exponent = input.Whole("exponent");
        if (Math.Abs(exponent) > Exponents.Limit) throw input.Error("exponent", $"{exponent} is outside [-{Exponents.Limit}, {Exponents.Limit}]");

        Layer[] layers = model.Children("layers").Select(ReadLayer).ToArray();
        Provenance provenance = model.OptionalChild("provenance") is JsonFields p ? ReadProvenance(p) : new Provenance();
        return new QuantizedModel(new Shape(shape[0], shape[1], shape[2]), layers, provenance, exponent);
    }

    private Layer ReadLayer(JsonFields layer)
    {
        string name = layer.Text("name");
        string type = layer.Text("type");
        try
        {
            Layer read = type switch
            {
                "conv2d" => ReadConv2d(layer, name),
                "dense" => ReadDense(layer, name),
                "maxpool2d" => new MaxPool2d(name, layer.Whole("kernel"), layer.Whole("stride")),
                "avgpool2d" => new AvgPool2d(name, layer.Whole("kernel"), layer.Whole("stride")),
                "flatten" => new Flatten(name),
                "add" => Since(3, layer, "type", () => new ResidualAdd(name, layer.Whole("output_exponent"))),
                _ => throw layer.Error("type", $"'{type}' is not a supported layer (conv2d, dense, maxpool2d, avgpool2d, flatten, add)"),
            };
            string[] inputs = layer.Has("inputs") ? Since(3, layer, "inputs", () => layer.Texts("inputs")) : [];
            string? residual = layer.Has("residual") ? Since(5, layer, "residual", () => layer.Text("residual")) : null;
            return inputs.Length > 0 || residual is not null ? WithWiring(read, inputs, residual) : read;
        }
        catch (PotNetException ex) when (!ex.Message.StartsWith(file, StringComparison.Ordinal))
        {
            throw new PotNetException($"{file}: {layer.Path}: {ex.Message}", ex);
        }
    }

    /// <summary>What <paramref name="read"/> gives, unless the file is older than the <paramref name="version"/> that added the field.</summary>
    private T Since<T>(int version, JsonFields layer, string field, Func<T> read) =>
        _version >= version ? read() : throw layer.Error(field, $"is a version {version} field, and the file is version {_version}");

    /// <summary>
    /// The same layer reading <paramref name="inputs"/> and adding <paramref name="residual"/> (layers are
    /// immutable: a copy with the wiring); <see cref="LayerGraph"/> checks both when the model is built.
    /// </summary>
    private static Layer WithWiring(Layer layer, string[] inputs, string? residual) => layer switch
    {
        Conv2d c => new Conv2d(c.Name, c.Geometry, c.Weights, c.Bias, c.OutputExponent, c.PaddingValues.IsEmpty ? null : c.PaddingValues.ToArray()) { Inputs = inputs, Residual = residual },
        Dense d => new Dense(d.Name, d.Geometry.InChannels, d.Geometry.OutChannels, d.Weights, d.Bias, d.OutputExponent) { Inputs = inputs, Residual = residual },
        MaxPool2d p => new MaxPool2d(p.Name, p.Kernel, p.Stride) { Inputs = inputs, Residual = residual },
        AvgPool2d p => new AvgPool2d(p.Name, p.Kernel, p.Stride) { Inputs = inputs, Residual = residual },
        Flatten f => new Flatten(f.Name) { Inputs = inputs, Residual = residual },
        ResidualAdd a => new ResidualAdd(a.Name, a.OutputExponent) { Inputs = inputs, Residual = residual },
        Layer other => throw new InvalidOperationException($"layer type {other.TypeName} has no reader"),
    };

    private Conv2d ReadConv2d(JsonFields layer, string name)
    {
        int[] kernel = layer.Wholes("kernel");
        if (kernel.Length != 2) throw layer.Error("kernel", $"has {kernel.Length} values, expected 2 (height, width)");
        int groups = layer.Has("groups") ? Since(4, layer, "groups", () => layer.Whole("groups")) : 1;
        var geometry = new ConvGeometry(layer.Whole("in_channels"), layer.Whole("out_channels"), kernel[0], kernel[1], layer.Whole("stride"), layer.Whole("padding"), groups);
        geometry.Validate(Named(name));
        (QuantizedWeights weights, int[] bias, int? f) = ReadCompute(layer, geometry, geometry.WeightShape);
        byte[]? padding = null;
        if (layer.Has("padding_value"))
        {
            padding = Since(2, layer, "padding_value", () => layer.Wholes("padding_value").Select((v, c) => v is >= 0 and <= byte.MaxValue ? (byte)v : throw layer.Error("padding_value", $"{v} at channel {c} is not a u8 value (0 to 255)")).ToArray());
        }

        return new Conv2d(name, geometry, weights, bias, f, padding);
    }

    /// <summary>
    /// Errors of a layer's geometry as the layer's own constructor words them (<c>layer 'NAME': groups: ...</c>),
    /// so that the file's message names the JSON path, the layer and the field.
    /// </summary>
    private static Func<string, string, PotNetException> Named(string name) => (field, problem) => new PotNetException($"layer '{name}': {field}: {problem}");

    private Dense ReadDense(JsonFields layer, string name)
    {
        var geometry = ConvGeometry.Dense(layer.Whole("in_features"), layer.Whole("out_features"));
        geometry.Validate(Named(name));
        (QuantizedWeights weights, int[] bias, int? f) = ReadCompute(layer, geometry, [geometry.OutChannels, geometry.InChannels]);
        return new Dense(name, geometry.InChannels, geometry.OutChannels, weights, bias, f);
    }

    private (QuantizedWeights Weights, int[] Bias, int? OutputExponent) ReadCompute(JsonFields layer, ConvGeometry geometry, int[] weightShape)
    {
        JsonFields weights = layer.Child("weights");
        string formatName = weights.Text("format");
        if (!WeightFormat.TryParse(formatName, out WeightFormat? format))
        {
            throw weights.Error("format", $"'{formatName}' is not a weight format (pot2..pot8, uniform2..uniform8, apot2..apot8)");
        }

        string roundingName = weights.OptionalText("rounding") ?? Rounding.Nearest.Name();
        Rounding rounding = RoundingNames.Parse(roundingName) ?? throw weights.Error("rounding", $"'{roundingName}' is not nearest or log");
        bool perChannel = weights.Text("granularity") switch
        {
            "layer" => false,
            "channel" => true,
            string other => throw weights.Error("granularity", $"'{other}' is not layer or channel"),
        };

        int outChannels = geometry.OutChannels;
        byte[] codes = Tensor(weights, "codes", weightShape).ToBytes(Describe(weights, "codes"));
        int[] exponents = Tensor(weights, "scale_exponents", [perChannel ? outChannels : 1]).ToInt32(Describe(weights, "scale_exponents"));
        int[] bias = Tensor(layer, "bias", [outChannels]).ToInt32(Describe(layer, "bias"));
        int? outputExponent = layer.OptionalWhole("output_exponent");
        if (layer.Flag("relu") != outputExponent is not null)
        {
            throw layer.Error("relu", "must be true exactly when output_exponent is set: requantisation to u8 clamps at 0, the last layer's logits do not");
        }

        return (new QuantizedWeights(format, outChannels, codes, exponents, rounding), bias, outputExponent);
    }

    private NpyArray Tensor(JsonFields owner, string field, int[] expectedShape)
    {
        string name = owner.Text(field);
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
        DateTimeOffset? created = p.OptionalText("created") is string text
            ? DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out DateTimeOffset t) ? t : throw p.Error("created", $"'{text}' is not a date")
            : null;
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (p.OptionalChild("settings") is JsonFields s)
        {
            foreach ((string key, JsonElement value) in s.Properties()) settings[key] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
        }

        var accuracy = new SortedDictionary<string, double>(StringComparer.Ordinal);
        if (p.OptionalChild("accuracy") is JsonFields a)
        {
            foreach ((string key, JsonElement value) in a.Properties())
            {
                accuracy[key] = value.ValueKind == JsonValueKind.Number ? value.GetDouble() : throw a.Error(key, "is not a number");
            }
        }

        return new Provenance
        {
            CreatedBy = p.OptionalText("created_by") ?? "unknown",
            Created = created,
            Source = p.OptionalText("source"),
            Dataset = p.OptionalText("dataset"),
            Settings = settings,
            Accuracy = accuracy,
        };
    }
}
