using System.IO.Compression;
using System.Text.Json;
using PotNet.Model;

namespace PotNet.Serialization;

/// <summary>
/// The <c>.potnet</c> file: a zip holding <c>model.json</c> (format version, graph, shapes, formats,
/// exponents, provenance) and one NumPy <c>.npy</c> file per tensor under <c>tensors/</c>. Loading
/// validates everything and names the file, the layer and the field of any fault; saving is atomic.
/// </summary>
public static class ModelFile
{
    /// <summary>
    /// The file format version this code writes. Version 2 added per-channel padding values of
    /// convolutions (<c>padding_value</c>), version 3 residual adds (layer type <c>add</c>) and the
    /// wiring that names the layers a layer reads (<c>inputs</c>), version 4 grouped convolutions
    /// (<c>groups</c>, absent for one group), version 5 a weighted layer's residual source
    /// (<c>residual</c>, absent for none); files of versions 1 to 4, which lack the later fields, are
    /// still read.
    /// </summary>
    public const int Version = 5;

    /// <summary>The oldest version read.</summary>
    public const int OldestVersion = 1;

    /// <summary>The value of model.json's "format" field.</summary>
    public const string FormatName = "potnet";

    /// <summary>
    /// Zip entries carry this time rather than the clock's, so that the same model always gives the
    /// same bytes: files can be compared and cached by their content.
    /// </summary>
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Writes <paramref name="model"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(QuantizedModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        AtomicFile.Write(path, stream => Write(model, stream));
    }

    /// <summary>SHA-256 (hex) of the model's file content: equal for equal models, whoever saved them.</summary>
    public static string Digest(QuantizedModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var memory = new MemoryStream();
        Write(model, memory);
        return Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(memory.ToArray()));
    }

    private static void Write(QuantizedModel model, Stream stream)
    {
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        using (Stream json = CreateEntry(zip, "model.json"))
        {
            ModelJsonWriter.Write(model, json);
        }

        foreach (ComputeLayer layer in model.ComputeLayers)
        {
            WriteTensor(zip, TensorNames.Codes(layer.Name), NpyArray.FromBytes(layer.Weights.Codes, layer.WeightShape));
            WriteTensor(zip, TensorNames.ScaleExponents(layer.Name), NpyArray.FromInt32(layer.Weights.ScaleExponents, layer.Weights.ScaleExponents.Length));
            WriteTensor(zip, TensorNames.Bias(layer.Name), NpyArray.FromInt32(layer.Bias, layer.Bias.Length));
        }
    }

    private static Stream CreateEntry(ZipArchive zip, string name)
    {
        ZipArchiveEntry entry = zip.CreateEntry(name);
        entry.LastWriteTime = EntryTime;
        return entry.Open();
    }

    /// <summary>Reads and validates a model; any fault is a <see cref="PotNetException"/> naming the file and field.</summary>
    public static QuantizedModel Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!File.Exists(path)) throw new PotNetException($"{path}: no such file");
        try
        {
            using ZipArchive zip = OpenZip(path);
            ZipArchiveEntry modelJson = zip.GetEntry("model.json") ?? throw PotNetException.InFile(path, "model.json", "is missing from the archive");
            using JsonDocument document = ParseJson(modelJson, path);
            return new ModelJsonReader(path, name => ReadTensor(zip, path, name)).Read(document.RootElement);
        }
        catch (PotNetException ex) when (!ex.Message.StartsWith(path, StringComparison.Ordinal))
        {
            // Errors raised by the model's own validation name the layer and field, not the file.
            throw new PotNetException($"{path}: {ex.Message}", ex);
        }
        catch (InvalidDataException ex)
        {
            // ZipArchive reads its directory lazily, so a corrupt archive can surface anywhere here.
            throw new PotNetException($"{path}: corrupt zip archive: {ex.Message}", ex);
        }
    }

    private static ZipArchive OpenZip(string path)
    {
        try
        {
            return ZipFile.OpenRead(path);
        }
        catch (InvalidDataException)
        {
            throw new PotNetException($"{path}: not a .potnet file (not a zip archive)");
        }
    }

    private static JsonDocument ParseJson(ZipArchiveEntry entry, string path)
    {
        if (entry.Length > 64 << 20) throw PotNetException.InFile(path, "model.json", "is larger than 64 MiB");
        try
        {
            using Stream stream = entry.Open();
            return JsonFields.Parse(stream, $"{path}: model.json");
        }
        catch (InvalidDataException ex)
        {
            throw PotNetException.InFile(path, "model.json", $"cannot be decompressed: {ex.Message}");
        }
    }

    private static NpyArray ReadTensor(ZipArchive zip, string path, string name)
    {
        ZipArchiveEntry entry = zip.GetEntry(name) ?? throw PotNetException.InFile(path, name, "tensor is missing from the archive");
        try
        {
            using Stream stream = entry.Open();
            return NpyArray.Read(stream, $"{path}: {name}", maxBytes: 1L << 30);
        }
        catch (InvalidDataException ex)
        {
            throw PotNetException.InFile(path, name, $"cannot be decompressed: {ex.Message}");
        }
    }

    private static void WriteTensor(ZipArchive zip, string name, NpyArray tensor)
    {
        using Stream stream = CreateEntry(zip, name);
        tensor.Write(stream);
    }
}

/// <summary>Names of a layer's tensors inside the archive.</summary>
internal static class TensorNames
{
    public static string Codes(string layer) => $"tensors/{layer}.codes.npy";

    public static string ScaleExponents(string layer) => $"tensors/{layer}.scale_exponents.npy";

    public static string Bias(string layer) => $"tensors/{layer}.bias.npy";
}
