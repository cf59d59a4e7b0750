using System.Text.Json;

namespace PotNet.Hardware.Generation;

/// <summary>Reads and writes <see cref="DesignManifest"/> as snake_case JSON.</summary>
internal static class ManifestJson
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
    };

    public static string Write(DesignManifest manifest) => JsonSerializer.Serialize(manifest, Options);

    public static DesignManifest Read(string path)
    {
        try
        {
            DesignManifest? manifest = JsonSerializer.Deserialize<DesignManifest>(File.ReadAllText(path), Options);
            if (manifest is null || manifest.Format != DesignManifest.FormatName)
            {
                throw new PotNetException($"{path}: not a potnet hardware manifest (format is not '{DesignManifest.FormatName}')");
            }

            if (manifest.Version != DesignManifest.CurrentVersion)
            {
                throw new PotNetException($"{path}: version {manifest.Version} is not supported (expected {DesignManifest.CurrentVersion}; regenerate the design)");
            }

            return manifest;
        }
        catch (JsonException ex)
        {
            throw new PotNetException($"{path}: not valid JSON for a hardware manifest: {ex.Message}");
        }
    }
}
