using System.Text.Json;

namespace PotNet.Serialization;

/// <summary>
/// Reads the fields of one JSON object and, when a field is missing or has the wrong type, throws
/// a <see cref="PotNetException"/> naming the file and the field's full path (e.g.
/// <c>layers[2].weights.format</c>), which is what a user needs to mend a hand-edited file.
/// Every JSON input of PotNet (models, energy tables, power reports) is read through it.
/// </summary>
public sealed class JsonFields
{
    private readonly JsonElement _element;
    private readonly string _file;

    private JsonFields(JsonElement element, string file, string path)
    {
        _element = element;
        _file = file;
        Path = path;
    }

    /// <summary>The object's path from the document's root ("" for the root).</summary>
    public string Path { get; }

    /// <summary>The root object of a document read from <paramref name="file"/>.</summary>
    public static JsonFields Root(JsonElement element, string file)
    {
        if (element.ValueKind != JsonValueKind.Object) throw PotNetException.InFile(file, "(root)", "is not a JSON object");
        return new JsonFields(element, file, "");
    }

    /// <summary>Parses <paramref name="stream"/> as JSON; malformed JSON names the file and the line.</summary>
    public static JsonDocument Parse(Stream stream, string file)
    {
        try
        {
            return JsonDocument.Parse(stream);
        }
        catch (JsonException ex)
        {
            throw PotNetException.InFile(file, $"line {ex.LineNumber + 1}", $"not valid JSON: {ex.Message}");
        }
    }

    /// <summary>An error in <paramref name="field"/> of this object.</summary>
    public PotNetException Error(string field, string problem) => PotNetException.InFile(_file, Join(field), problem);

    /// <summary>True when the field is present and not null.</summary>
    public bool Has(string field) => _element.TryGetProperty(field, out JsonElement v) && v.ValueKind != JsonValueKind.Null;

    /// <summary>A required string.</summary>
    public string Text(string field) => Get(field, JsonValueKind.String).GetString()!;

    /// <summary>A string, or null when absent.</summary>
    public string? OptionalText(string field) => Has(field) ? Text(field) : null;

    /// <summary>A required 32-bit integer.</summary>
    public int Whole(string field)
    {
        JsonElement v = Get(field, JsonValueKind.Number);
        return v.TryGetInt32(out int i) ? i : throw Error(field, $"{v.GetRawText()} is not a 32-bit integer");
    }

    /// <summary>A 32-bit integer, or null when absent.</summary>
    public int? OptionalWhole(string field) => Has(field) ? Whole(field) : null;

    /// <summary>A required finite number.</summary>
    public double Number(string field)
    {
        double v = Get(field, JsonValueKind.Number).GetDouble();
        return double.IsFinite(v) ? v : throw Error(field, "is not a finite number");
    }

    /// <summary>A number, or null when absent.</summary>
    public double? OptionalNumber(string field) => Has(field) ? Number(field) : null;

    /// <summary>A required boolean.</summary>
    public bool Flag(string field)
    {
        if (!_element.TryGetProperty(field, out JsonElement v)) throw Error(field, "is missing");
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(field, $"expected true or false, found {Describe(v.ValueKind)}"),
        };
    }

    /// <summary>A required array of 32-bit integers.</summary>
    public int[] Wholes(string field) => Numbers(field, (item, i) =>
        item.TryGetInt32(out int v) ? v : throw Error($"{field}[{i}]", "is not a 32-bit integer"));

    /// <summary>A required array of strings.</summary>
    public string[] Texts(string field)
    {
        JsonElement array = Get(field, JsonValueKind.Array);
        return array.EnumerateArray().Select((item, i) => item.ValueKind == JsonValueKind.String ? item.GetString()! : throw Error($"{field}[{i}]", "is not a string")).ToArray();
    }

    /// <summary>A required array of arrays of finite numbers (e.g. curve points).</summary>
    public double[][] NumberRows(string field)
    {
        JsonElement array = Get(field, JsonValueKind.Array);
        var rows = new double[array.GetArrayLength()][];
        int i = 0;
        foreach (JsonElement row in array.EnumerateArray())
        {
            string rowPath = $"{field}[{i}]";
            if (row.ValueKind != JsonValueKind.Array) throw Error(rowPath, "is not an array");
            rows[i++] = row.EnumerateArray().Select((v, j) =>
                v.ValueKind == JsonValueKind.Number && double.IsFinite(v.GetDouble()) ? v.GetDouble() : throw Error($"{rowPath}[{j}]", "is not a finite number")).ToArray();
        }

        return rows;
    }

    /// <summary>A required nested object.</summary>
    public JsonFields Child(string field) => new(Get(field, JsonValueKind.Object), _file, Join(field));

    /// <summary>A nested object, or null when absent.</summary>
    public JsonFields? OptionalChild(string field) => Has(field) ? Child(field) : null;

    /// <summary>A required array of objects.</summary>
    public IEnumerable<JsonFields> Children(string field)
    {
        JsonElement array = Get(field, JsonValueKind.Array);
        var items = new List<JsonFields>();
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            string itemPath = $"{field}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object) throw Error(itemPath, "is not a JSON object");
            items.Add(new JsonFields(item, _file, Join(itemPath)));
        }

        return items;
    }

    /// <summary>The object's properties, in document order.</summary>
    public IEnumerable<(string Name, JsonElement Value)> Properties() =>
        _element.EnumerateObject().Select(p => (p.Name, p.Value));

    /// <summary>The object's properties whose values are objects, each as fields.</summary>
    public IEnumerable<(string Name, JsonFields Value)> ObjectProperties()
    {
        var result = new List<(string, JsonFields)>();
        foreach ((string name, JsonElement value) in Properties())
        {
            if (value.ValueKind != JsonValueKind.Object) throw Error(name, "is not a JSON object");
            result.Add((name, new JsonFields(value, _file, Join(name))));
        }

        return result;
    }

    private T[] Numbers<T>(string field, Func<JsonElement, int, T> convert)
    {
        JsonElement array = Get(field, JsonValueKind.Array);
        var values = new T[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            values[i] = item.ValueKind == JsonValueKind.Number ? convert(item, i) : throw Error($"{field}[{i}]", "is not a number");
            i++;
        }

        return values;
    }

    private JsonElement Get(string field, JsonValueKind kind)
    {
        if (!_element.TryGetProperty(field, out JsonElement v)) throw Error(field, "is missing");
        if (v.ValueKind != kind) throw Error(field, $"expected {Describe(kind)}, found {Describe(v.ValueKind)}");
        return v;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private string Join(string field) => Path.Length == 0 ? field : $"{Path}.{field}";
}
