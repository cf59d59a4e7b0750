using System.IO.Compression;
using PotNet.Model;
using PotNet.Serialization;

namespace PotNet.Cli.Tests;

public sealed class BadInputTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("potnet-bad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Not_a_zip()
    {
        string path = Path.Combine(_dir, "text.potnet");
        File.WriteAllText(path, "hello");
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("info", path), path, "not a zip");
    }

    [Fact]
    public void Unknown_version() =>
        AssertRefused(zip => Rewrite(zip, "model.json", json => json.Replace($"\"version\": {PotNet.Serialization.ModelFile.Version}", "\"version\": 7", StringComparison.Ordinal)), "version", "7");

    [Fact]
    public void Missing_tensor() => AssertRefused(zip => zip.GetEntry("tensors/out.bias.npy")!.Delete(), "tensors/out.bias.npy", "missing");

    [Fact]
    public void Code_out_of_range() =>
        AssertRefused(zip => Replace(zip, "tensors/out.codes.npy", NpyArray.FromBytes([15, 15, 15, 15], 2, 2)), "layer 'out'", "weights.codes", "code 15");

    [Fact]
    public void Wrong_shape() =>
        AssertRefused(zip => Replace(zip, "tensors/out.codes.npy", NpyArray.FromBytes([0, 0, 0], 3, 1)), "weights.codes", "shape (3, 1), expected (2, 2)");

    [Fact]
    public void Missing_model_file() => Cli.AssertFails(PotNetCommand.InputError, Cli.Run("eval", Path.Combine(_dir, "none.potnet"), "--data", _dir), "none.potnet");

    [Fact]
    public void Truncated_idx_file()
    {
        string model = Save();
        string data = Directory.CreateDirectory(Path.Combine(_dir, "idx")).FullName;
        File.WriteAllBytes(Path.Combine(data, "t10k-images-idx3-ubyte"), [0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 2, 1, 2]);
        File.WriteAllBytes(Path.Combine(data, "t10k-labels-idx1-ubyte"), [0, 0, 8, 1, 0, 0, 0, 1, 3]);
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("eval", model, "--data", data), "t10k-images-idx3-ubyte", "truncated");
    }

    [Fact]
    public void Unknown_dataset_directory() =>
        Cli.AssertFails(PotNetCommand.InputError, Cli.Run("eval", Save(), "--data", Path.Combine(_dir, "nowhere")), "nowhere");

    [Theory]
    [InlineData("eval", "m.potnet")]
    [InlineData("eval", "m.potnet", "--data", "mnist", "--images", "0")]
    [InlineData("info")]
    [InlineData("frobnicate")]
    [InlineData("data", "fetch", "cifar10")]
    public void Usage_errors_exit_2_with_a_message(params string[] args)
    {
        var result = Cli.Run(args);
        Cli.AssertFails(PotNetCommand.UsageError, result);
        Assert.Contains("--help", result.Error, StringComparison.Ordinal);
    }

    private string Save()
    {
        string path = Path.Combine(_dir, "model.potnet");
        var weights = new QuantizedWeights(Formats.WeightFormat.Pot(4), 2, [0, 1, 2, 3], [0]);
        ModelFile.Save(new QuantizedModel(new Shape(1, 2, 1), [new Flatten("flat"), new Dense("out", 2, 2, weights, [0, 0], null)]), path);
        return path;
    }

    private void AssertRefused(Action<ZipArchive> corrupt, params string[] expected)
    {
        string path = Save();
        using (ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Update)) corrupt(zip);
        foreach (string verb in new[] { "info", "eval" })
        {
            var result = verb == "info" ? Cli.Run("info", path) : Cli.Run("eval", path, "--data", _dir);
            Cli.AssertFails(PotNetCommand.InputError, result, [path, .. expected]);
        }
    }

    private static void Rewrite(ZipArchive zip, string name, Func<string, string> edit)
    {
        string text;
        using (var reader = new StreamReader(zip.GetEntry(name)!.Open())) text = reader.ReadToEnd();
        zip.GetEntry(name)!.Delete();
        using var writer = new StreamWriter(zip.CreateEntry(name).Open());
        writer.Write(edit(text));
    }

    private static void Replace(ZipArchive zip, string name, NpyArray tensor)
    {
        zip.GetEntry(name)!.Delete();
        using Stream s = zip.CreateEntry(name).Open();
        tensor.Write(s);
    }
}
