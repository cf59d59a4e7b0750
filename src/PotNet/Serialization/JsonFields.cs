using System.Text.Json;

namespace PotNet.Serialization;

/// <summary>
/// Reads the fields of one JSON object and, when a field is missing or has the wrong type, throws
/// a <see cref="PotNetException"/> naming the file and the field's full path (e.g.
/// <c>layers[2].weights.format</c>), which is what a user needs to mend a hand-edited file.
/// </summary>
internal readonly struct JsonFields(JsonElement element, string file, string path)
{
    public string Path => path;

    public static JsonFields Root(JsonElement element, string file)
    {
        if (element.ValueKind != JsonValueKind.Object) throw PotNetException.InFile(file, "model.json", "is not a JSON object");
        return new JsonFields(element, file, "");
    }

    public PotNetException Error(string field, string problem) => PotNetException.InFile(file, Join(field), problem);

    public bool Has(string field) => element.TryGetProperty(field, out JsonElement v) && v.ValueKind != JsonValueKind.Null;

    public string String(string field) => Get(field, JsonValueKind.String).GetString()!;

    public string? OptionalString(string field) => Has(field) ? String(field) : null;

    public int Int(string field)
    {
        JsonElement v = Get(field, JsonValueKind.Number);
        return v.TryGetInt32(out int i) ? i : throw Error(field, $"{v.GetRawText()} is not a 32-bit integer");
    }

    public int? OptionalInt(string field) => Has(field) ? Int(field) : null;

    public bool Bool(string field)
    {
        if (!element.TryGetProperty(field, out JsonElement v)) throw Error(field, "is missing");
        return v.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(field, $"expected true or false, found {v.ValueKind.ToString().ToLowerInvariant()}"),
        };
    }

    public int[] Ints(string field)
    {
        JsonElement array = Get(field, JsonValueKind.Array);
        var values = new int[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            values[i] = item.ValueKind == JsonValueKind.Number && item.TryGetInt32(out int v) ? v : throw Error($"{field}[{i}]", "is not a 32-bit integer");
            i++;
        }

        return values;
    }

    public JsonFields Object(string field) => new(Get(field, JsonValueKind.Object), file, Join(field));

    public JsonFields? OptionalObject(string field) => Has(field) ? Object(field) : null;

    public IEnumerable<JsonFields> Objects(string field)
    {
        JsonElement array = Get(field, JsonValueKind.Array);
        int i = 0;
        foreach (JsonElement item in array.EnumerateArray())
        {
            string itemPath = $"{field}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object) throw Error(itemPath, "is not a JSON object");
            yield return new JsonFields(item, file, Join(itemPath));
        }
    }

    public IEnumerable<(string Name, JsonElement Value)> Properties() =>
        element.EnumerateObject().Select(p => (p.Name, p.Value));

    private JsonElement Get(string field, JsonValueKind kind)
    {
        if (!element.TryGetProperty(field, out JsonElement v)) throw Error(field, "is missing");
        if (v.ValueKind != kind)
        {
            throw Error(field, $"expected a {kind.ToString().ToLowerInvariant()}, found {v.ValueKind.ToString().ToLowerInvariant()}");
        }

        return v;
    }

    private string Join(string field) => path.Length == 0 ? field : $"{path}.{field}";
}
