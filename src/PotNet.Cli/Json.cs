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

    public static T Read<T>(string path)
    {
        try
        {
            using FileStream stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<T>(stream, Options) ?? throw new PotNetException($"{path}: empty");
        }
        catch (JsonException ex)
        {
            throw new PotNetException($"{path}: not valid ({ex.Message})");
        }
    }
}
