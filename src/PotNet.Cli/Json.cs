using System.Text.Json;

namespace PotNet.Cli;

/// <summary>Machine-readable output: snake_case JSON, indented, one document per command.</summary>
internal static class Json
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    public static void Write<T>(TextWriter writer, T value) => writer.WriteLine(JsonSerializer.Serialize(value, Options));

    public static void Write<T>(Stream stream, T value) => JsonSerializer.Serialize(stream, value, Options);
}
