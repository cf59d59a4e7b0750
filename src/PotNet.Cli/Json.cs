using System.Text.Json;
using System.Text.Json.Serialization;

namespace PotNet.Cli;

/// <summary>Machine-readable output: snake_case JSON, indented, one document per command; enums by name (an event kind reads <c>memory_read</c>, as in the energy tables), not by number.</summary>
internal static class Json
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static void Write<T>(TextWriter writer, T value) => writer.WriteLine(JsonSerializer.Serialize(value, Options));

    public static void Write<T>(Stream stream, T value) => JsonSerializer.Serialize(stream, value, Options);
}
