using System.IO.Compression;
using System.Text.Json.Nodes;
using CsCheck;
using PotNet.Engines;
using PotNet.Formats;
using PotNet.Model;
using PotNet.Serialization;

namespace PotNet.Tests.Serialization;

public sealed class ModelFileTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("potnet-file-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Save_then_load_keeps_everything()
    {
        QuantizedModel model = TestModels.SmallCnn(WeightFormat.Pot(4)).WithProvenance(new Provenance
        {
            Source = "test",
            Dataset = "mnist",
            Settings = new Dictionary<string, string> { ["seed"] = "3" },
            Accuracy = new Dictionary<string, double> { ["reference"] = 0.5 },
        });
        string path = Save(model);
        QuantizedModel loaded = ModelFile.Load(path);

        Assert.Equal(model.Input, loaded.Input);
        Assert.Equal(model.Layers.Select(l => (l.Name, l.TypeName)), loaded.Layers.Select(l => (l.Name, l.TypeName)));
        foreach ((ComputeLayer a, ComputeLayer b) in model.ComputeLayers.Zip(loaded.ComputeLayers))
        {
            Assert.Equal(a.Geometry, b.Geometry);
            Assert.Equal(a.Weights.Format, b.Weights.Format);
            Assert.Equal(a.Weights.Codes.ToArray(), b.Weights.Codes.ToArray());
            Assert.Equal(a.Weights.ScaleExponents.ToArray(), b.Weights.ScaleExponents.ToArray());
            Assert.Equal(a.Bias.ToArray(), b.Bias.ToArray());
            Assert.Equal(a.OutputExponent, b.OutputExponent);
        }

        Assert.Equal("mnist", loaded.Provenance.Dataset);
        Assert.Equal("3", loaded.Provenance.Settings["seed"]);
        Assert.Equal(0.5, loaded.Provenance.Accuracy["reference"]);
    }

    [Fact]
    public void Random_networks_survive_the_file_bit_for_bit() =>
        Gen.Int.Sample(seed =>
        {
            QuantizedModel model = RandomNetworks.Create(seed);
            QuantizedModel loaded = ModelFile.Load(Save(model, $"r{seed}.potnet"));
            byte[] image = RandomNetworks.Image(model, seed);
            Assert.Equal(new ReferenceEngine(model).Infer(image), new ReferenceEngine(loaded).Infer(image));
        }, iter: 50);

    [Fact]
    public void Tensors_are_plain_npy_files()
    {
        using ZipArchive zip = ZipFile.OpenRead(Save(TestModels.TinyMlp()));
        Assert.NotNull(zip.GetEntry("model.json"));
        using Stream s = zip.GetEntry("tensors/hidden.bias.npy")!.Open();
        NpyArray bias = NpyArray.Read(s, "bias", 1 << 20);
        Assert.Equal([1, -3], bias.ToInt32("bias"));
        Assert.Equal([2], bias.Shape);
    }

    [Fact]
    public void Saving_over_a_file_replaces_it_whole_and_leaves_no_temporary()
    {
        string path = Save(TestModels.TinyMlp());
        ModelFile.Save(TestModels.SmallCnn(WeightFormat.Uniform(4)), path);
        Assert.Equal("conv", ModelFile.Load(path).Layers[0].Name);
        Assert.Single(Directory.GetFiles(_dir));
    }

    [Fact]
    public void Not_a_zip() => AssertRefused(File.WriteAllText, "this is text", "not a zip");

    [Fact]
    public void Missing_file()
    {
        var ex = Assert.Throws<PotNetException>(() => ModelFile.Load(Path.Combine(_dir, "absent.potnet")));
        Assert.Contains("absent.potnet", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_version() => AssertEditRefused(json => json["version"] = 99, "version", "99");

    [Fact]
    public void Wrong_format_name() => AssertEditRefused(json => json["format"] = "onnx", "format");

    [Fact]
    public void Unknown_weight_format() => AssertEditRefused(json => json["layers"]![0]!["weights"]!["format"] = "pot11", "layers[0].weights.format", "pot11");

    [Fact]
    public void Unknown_layer_type() => AssertEditRefused(json => json["layers"]![0]!["type"] = "lstm", "layers[0].type", "lstm");

    [Fact]
    public void Missing_field() => AssertEditRefused(json => json["layers"]!.AsArray()[1]!.AsObject().Remove("bias"), "layers[1].bias", "missing");

    [Fact]
    public void Field_of_the_wrong_type() => AssertEditRefused(json => json["layers"]![0]!["in_features"] = "two", "layers[0].in_features");

    [Fact]
    public void Relu_inconsistent_with_the_output_exponent() => AssertEditRefused(json => json["layers"]![0]!["relu"] = false, "relu");

    [Fact]
    public void Shape_that_does_not_chain() => AssertEditRefused(json => json["input"]!["shape"] = new JsonArray(3, 1, 1), "layer 'hidden': in_channels", "3 channels");

    [Fact]
    public void Missing_tensor() => AssertZipRefused(zip => zip.GetEntry("tensors/hidden.codes.npy")!.Delete(), "tensors/hidden.codes.npy", "missing");

    [Fact]
    public void Tensor_of_the_wrong_shape() =>
        AssertZipRefused(zip => Replace(zip, "tensors/logits.bias.npy", NpyArray.FromInt32([1, 2, 3], 3)), "bias", "shape (3), expected (2)");

    [Fact]
    public void Tensor_of_the_wrong_type() =>
        AssertZipRefused(zip => Replace(zip, "tensors/logits.bias.npy", NpyArray.FromBytes([1, 2], 2)), "bias", "element type");

    [Fact]
    public void Code_out_of_range() =>
        // pot4: code 15 is "negative zero", not a valid code.
        AssertZipRefused(zip => Replace(zip, "tensors/hidden.codes.npy", NpyArray.FromBytes([15, 0, 0, 0], 2, 2)), "layer 'hidden': weights.codes", "code 15 at index 0");

    [Fact]
    public void Truncated_tensor() =>
        AssertZipRefused(zip => Truncate(zip, "tensors/hidden.codes.npy", 70), "tensors/hidden.codes.npy", "truncated");

    [Fact]
    public void Malformed_json() => AssertZipRefused(zip => Replace(zip, "model.json", "{ \"format\": "), "model.json", "not valid JSON");

    [Fact]
    public void An_overflowing_layer_in_a_file_is_refused_by_name() =>
        AssertZipRefused(zip => Replace(zip, "tensors/hidden.bias.npy", NpyArray.FromInt32([int.MaxValue, 0], 2)), "layer 'hidden'", "accumulator");

    [Fact]
    public void Corrupted_files_load_or_fail_with_a_clear_error() =>
        Gen.Select(Gen.Int[0, 1 << 20], Gen.Byte, Gen.Int[0, 3]).Sample((position, value, mode) =>
        {
            byte[] bytes = File.ReadAllBytes(Save(TestModels.SmallCnn(WeightFormat.Apot(4))));
            position %= bytes.Length;
            if (mode == 0) bytes = bytes[..position];
            else bytes[position] = mode == 1 ? value : (byte)(bytes[position] ^ (1 << (value % 8)));
            string path = Path.Combine(_dir, $"fuzz-{Guid.NewGuid():N}.potnet");
            File.WriteAllBytes(path, bytes);
            try
            {
                ModelFile.Load(path);
            }
            catch (PotNetException ex)
            {
                Assert.StartsWith(path, ex.Message, StringComparison.Ordinal);
            }
        }, iter: 500);

    [Fact]
    public void Padding_values_are_saved_and_loaded_in_versions_2_to_5()
    {
        QuantizedModel model = WithPaddingValues([17]);
        string path = Save(model);
        Assert.Equal(5, (int)ReadJson(path)["version"]!);
        Assert.Equal(5, ModelFile.Version);
        byte[] image = Enumerable.Range(0, 64).Select(i => (byte)(i * 3)).ToArray();
        foreach (int version in new[] { 5, 4, 3, 2 })
        {
            EditJson(path, json => json["version"] = version);
            var loaded = (Conv2d)ModelFile.Load(path).Layers[0];
            Assert.Equal([17], loaded.PaddingValues.ToArray());
            Assert.Equal(new ReferenceEngine(model).Infer(image), new ReferenceEngine(ModelFile.Load(path)).Infer(image));
        }
    }

    [Fact]
    public void A_residual_model_is_saved_with_its_wiring_and_loads_equal()
    {
        QuantizedModel model = TestModels.ResidualCnn(WeightFormat.Pot(4));
        string path = Save(model);
        JsonNode json = ReadJson(path);
        JsonArray layers = json["layers"]!.AsArray();
        // A chain link names nothing; the adds and the side branch name their inputs.
        Assert.Null(layers[2]!["inputs"]);
        Assert.Equal(["block", "pool"], layers[3]!["inputs"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["pool"], layers[4]!["inputs"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("add", (string)layers[5]!["type"]!);
        Assert.Equal(3, (int)layers[5]!["output_exponent"]!);
        QuantizedModel loaded = ModelFile.Load(path);
        Assert.Equal(model.Layers.Select(l => string.Join(",", l.Inputs)), loaded.Layers.Select(l => string.Join(",", l.Inputs)));
        for (int seed = 0; seed < 20; seed++)
        {
            byte[] image = new byte[64];
            new Random(seed).NextBytes(image);
            Assert.Equal(new ReferenceEngine(model).Infer(image), new ReferenceEngine(loaded).Infer(image));
        }
    }

    [Fact]
    public void An_add_in_a_version_2_file_is_refused()
    {
        string path = Save(TestModels.ResidualCnn(WeightFormat.Pot(4)));
        EditJson(path, json =>
        {
            json["version"] = 2;
            foreach (JsonNode? layer in json["layers"]!.AsArray()) layer!.AsObject().Remove("inputs");
        });
        AssertLoadFails(path, ["layers[3].type", "version 3 field", "version 2"]);
    }

    [Fact]
    public void Inputs_in_a_version_1_file_are_refused()
    {
        string path = Save(TestModels.SmallCnn(WeightFormat.Pot(4)));
        EditJson(path, json =>
        {
            json["version"] = 1;
            json["layers"]![1]!["inputs"] = new JsonArray("conv");
        });
        AssertLoadFails(path, ["layers[1].inputs", "version 3 field", "version 1"]);
    }

    [Theory]
    [InlineData("fc", "layer 'add': inputs: 'fc' is not an earlier layer")]
    [InlineData("nowhere", "layer 'add': inputs: 'nowhere' is not an earlier layer")]
    [InlineData("input", "layer 'add': inputs: it adds 2x4x4 and 1x8x8")]
    public void An_add_reading_what_it_cannot_is_refused(string input, string message)
    {
        string path = Save(TestModels.ResidualCnn(WeightFormat.Pot(4)));
        EditJson(path, json => json["layers"]![3]!["inputs"] = new JsonArray("block", input));
        AssertLoadFails(path, [message]);
    }

    [Fact]
    public void A_layer_whose_output_nobody_reads_is_refused()
    {
        string path = Save(TestModels.ResidualCnn(WeightFormat.Pot(4)));
        EditJson(path, json => json["layers"]![5]!["inputs"] = new JsonArray("add", "add"));
        AssertLoadFails(path, ["layer 'side': no layer reads its output"]);
    }

    [Fact]
    public void An_add_with_one_input_is_refused()
    {
        string path = Save(TestModels.ResidualCnn(WeightFormat.Pot(4)));
        EditJson(path, json => json["layers"]![3]!["inputs"] = new JsonArray("block"));
        AssertLoadFails(path, ["layer 'add': inputs: 1 named, and a layer of type add reads 2"]);
    }

    [Fact]
    public void A_grouped_model_is_saved_with_its_groups_and_loads_equal()
    {
        QuantizedModel model = TestModels.DepthwiseCnn(WeightFormat.Pot(4));
        string path = Save(model);
        JsonArray layers = ReadJson(path)["layers"]!.AsArray();
        // groups is written only where it is not 1.
        Assert.Equal([null, 4, null, 2], layers.Take(4).Select(l => (int?)l!["groups"]));
        using (ZipArchive zip = ZipFile.OpenRead(path))
        {
            using Stream codes = zip.GetEntry("tensors/dw.codes.npy")!.Open();
            Assert.Equal([4, 1, 3, 3], NpyArray.Read(codes, "dw.codes", 1 << 20).Shape);
        }

        QuantizedModel loaded = ModelFile.Load(path);
        Assert.Equal(model.ComputeLayers.Select(l => l.Geometry), loaded.ComputeLayers.Select(l => l.Geometry));
        for (int seed = 0; seed < 20; seed++)
        {
            byte[] image = new byte[64];
            new Random(seed).NextBytes(image);
            Assert.Equal(new ReferenceEngine(model).Infer(image), new ReferenceEngine(loaded).Infer(image));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Files_of_versions_1_to_4_still_load(int version)
    {
        QuantizedModel model = version switch
        {
            4 => TestModels.DepthwiseCnn(WeightFormat.Pot(4)),
            3 => TestModels.ResidualCnn(WeightFormat.Pot(4)),
            _ => TestModels.SmallCnn(WeightFormat.Pot(4)),
        };
        string path = Save(model);
        EditJson(path, json => json["version"] = version);
        QuantizedModel loaded = ModelFile.Load(path);
        byte[] image = Enumerable.Range(0, 64).Select(i => (byte)(255 - i)).ToArray();
        Assert.Equal(new ReferenceEngine(model).Infer(image), new ReferenceEngine(loaded).Infer(image));
    }

    [Fact]
    public void A_residual_source_is_saved_by_name_and_loads_equal()
    {
        QuantizedModel model = TestModels.StandardResidualCnn(WeightFormat.Pot(4));
        string path = Save(model);
        JsonArray layers = ReadJson(path)["layers"]!.AsArray();
        // Only blockb names a residual source; its input is the chain's default.
        Assert.Equal([null, null, null, "pool", null, null], layers.Select(l => (string?)l!["residual"]));
        Assert.Null(layers[3]!["inputs"]);
        QuantizedModel loaded = ModelFile.Load(path);
        Assert.Equal("pool", loaded.Layers[3].Residual);
        for (int seed = 0; seed < 20; seed++)
        {
            byte[] image = new byte[64];
            new Random(seed).NextBytes(image);
            Assert.Equal(new ReferenceEngine(model).Infer(image), new ReferenceEngine(loaded).Infer(image));
        }
    }

    [Fact]
    public void A_residual_source_in_a_version_4_file_is_refused()
    {
        string path = Save(TestModels.StandardResidualCnn(WeightFormat.Pot(4)));
        EditJson(path, json => json["version"] = 4);
        AssertLoadFails(path, ["layers[3].residual", "version 5 field", "version 4"]);
    }

    [Theory]
    [InlineData(3, "nowhere", "layer 'blockb': residual: 'nowhere' is not an earlier layer")]
    [InlineData(3, "fc", "layer 'blockb': residual: 'fc' is not an earlier layer")]
    [InlineData(3, "input", "layer 'blockb': residual: 'input' gives 1x8x8, and the layer outputs 2x4x4")]
    [InlineData(1, "conv", "layer 'pool': residual: a layer of type maxpool2d has no accumulator to add 'conv' into")]
    [InlineData(5, "blockb", "layer 'fc': residual: the logits layer takes no residual source ('blockb')")]
    public void A_bad_residual_source_is_refused_by_name(int layer, string residual, string message)
    {
        string path = Save(TestModels.StandardResidualCnn(WeightFormat.Pot(4)));
        EditJson(path, json => json["layers"]![layer]!["residual"] = residual);
        AssertLoadFails(path, [message]);
    }

    [Fact]
    public void A_residual_source_that_would_need_a_right_shift_is_refused_by_name()
    {
        // blockb reads f_in 5 with g 3; a source at exponent 9 would need a right shift by 1.
        string path = Save(TestModels.StandardResidualCnn(WeightFormat.Pot(4)));
        EditJson(path, json => json["layers"]![0]!["output_exponent"] = 9);
        AssertLoadFails(path, ["layer 'blockb': residual: 'pool' (exponent 9) would need a right shift by 1"]);
    }

    [Fact]
    public void Groups_in_a_version_3_file_are_refused()
    {
        string path = Save(TestModels.DepthwiseCnn(WeightFormat.Pot(4)));
        EditJson(path, json => json["version"] = 3);
        AssertLoadFails(path, ["layers[1].groups", "version 4 field", "version 3"]);
    }

    [Theory]
    [InlineData(3, "layers[1]: layer 'dw': groups: 3 does not divide in_channels 4")]
    [InlineData(0, "layers[1]: layer 'dw': groups: 0 must be at least 1")]
    [InlineData(8, "layers[1]: layer 'dw': groups: 8 does not divide in_channels 4")]
    public void Bad_groups_are_refused_naming_the_layer_and_the_field(int groups, string message)
    {
        string path = Save(TestModels.DepthwiseCnn(WeightFormat.Pot(4)));
        EditJson(path, json => json["layers"]![1]!["groups"] = groups);
        AssertLoadFails(path, [message]);
    }

    [Fact]
    public void Groups_that_change_the_weight_shape_are_refused_at_the_tensor()
    {
        // groups 2 on the depthwise layer divides both channel counts but wants [4, 2, 3, 3] weights.
        string path = Save(TestModels.DepthwiseCnn(WeightFormat.Pot(4)));
        EditJson(path, json => json["layers"]![1]!["groups"] = 2);
        AssertLoadFails(path, ["dw.codes", "4, 2, 3, 3"]);
    }

    [Fact]
    public void A_version_1_file_still_loads()
    {
        QuantizedModel model = TestModels.SmallCnn(WeightFormat.Pot(4));
        string path = Save(model);
        EditJson(path, json => json["version"] = 1);
        QuantizedModel loaded = ModelFile.Load(path);
        byte[] image = Enumerable.Range(0, 64).Select(i => (byte)(255 - i)).ToArray();
        Assert.Equal(new ReferenceEngine(model).Infer(image), new ReferenceEngine(loaded).Infer(image));
    }

    [Fact]
    public void Padding_values_in_a_version_1_file_are_refused()
    {
        string path = Save(WithPaddingValues([17]));
        EditJson(path, json => json["version"] = 1);
        AssertLoadFails(path, ["layers[0].padding_value", "version 2 field", "version 1"]);
    }

    [Fact]
    public void A_padding_value_outside_u8_is_refused()
    {
        string path = Save(WithPaddingValues([17]));
        EditJson(path, json => json["layers"]![0]!["padding_value"] = new JsonArray(256));
        AssertLoadFails(path, ["layers[0].padding_value", "256 at channel 0 is not a u8 value"]);
    }

    [Fact]
    public void The_padded_border_reads_the_padding_value()
    {
        // One 3x3 all-ones pot4 kernel with padding 1 over a 2x2 image of zeros: a corner sees 5 padded taps.
        var conv = new Conv2d("conv", new ConvGeometry(1, 1, 3, 3, 1, 1), TestModels.Weights(WeightFormat.Pot(4), 1, Enumerable.Repeat(1, 9).ToArray()), [0], null, [10]);
        int[] logits = new ReferenceEngine(new QuantizedModel(new Shape(1, 2, 2), [conv])).Infer(new byte[4]);
        Assert.Equal([50, 50, 50, 50], logits);
    }

    private static QuantizedModel WithPaddingValues(byte[] values)
    {
        QuantizedModel small = TestModels.SmallCnn(WeightFormat.Pot(4));
        var conv = (Conv2d)small.Layers[0];
        var padded = new Conv2d(conv.Name, conv.Geometry, conv.Weights, conv.Bias, conv.OutputExponent, values);
        return new QuantizedModel(small.Input, [padded, .. small.Layers.Skip(1)]);
    }

    private static JsonNode ReadJson(string path)
    {
        using ZipArchive zip = ZipFile.OpenRead(path);
        using Stream s = zip.GetEntry("model.json")!.Open();
        return JsonNode.Parse(s)!;
    }

    private static void EditJson(string path, Action<JsonNode> edit)
    {
        using ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Update);
        JsonNode json;
        using (Stream s = zip.GetEntry("model.json")!.Open()) json = JsonNode.Parse(s)!;
        edit(json);
        Replace(zip, "model.json", json.ToJsonString());
    }

    private string Save(QuantizedModel model, string name = "model.potnet")
    {
        string path = Path.Combine(_dir, name);
        ModelFile.Save(model, path);
        return path;
    }

    private void AssertRefused(Action<string, string> write, string content, params string[] expected)
    {
        string path = Path.Combine(_dir, "bad.potnet");
        write(path, content);
        AssertLoadFails(path, expected);
    }

    private void AssertEditRefused(Action<JsonNode> edit, params string[] expected) =>
        AssertZipRefused(zip =>
        {
            JsonNode json;
            using (Stream s = zip.GetEntry("model.json")!.Open()) json = JsonNode.Parse(s)!;
            edit(json);
            Replace(zip, "model.json", json.ToJsonString());
        }, expected);

    private void AssertZipRefused(Action<ZipArchive> corrupt, params string[] expected)
    {
        string path = Save(TestModels.TinyMlp(), "bad.potnet");
        using (ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Update)) corrupt(zip);
        AssertLoadFails(path, expected);
    }

    private static void AssertLoadFails(string path, string[] expected)
    {
        var ex = Assert.Throws<PotNetException>(() => ModelFile.Load(path));
        Assert.StartsWith(path, ex.Message, StringComparison.Ordinal);
        foreach (string part in expected) Assert.Contains(part, ex.Message, StringComparison.Ordinal);
    }

    private static void Replace(ZipArchive zip, string name, string text) => Write(zip, name, s => s.Write(System.Text.Encoding.UTF8.GetBytes(text)));

    private static void Replace(ZipArchive zip, string name, NpyArray tensor) => Write(zip, name, tensor.Write);

    private static void Truncate(ZipArchive zip, string name, int length)
    {
        byte[] bytes;
        using (var copy = new MemoryStream())
        {
            using (Stream s = zip.GetEntry(name)!.Open()) s.CopyTo(copy);
            bytes = copy.ToArray()[..length];
        }

        Write(zip, name, s => s.Write(bytes));
    }

    private static void Write(ZipArchive zip, string name, Action<Stream> write)
    {
        zip.GetEntry(name)?.Delete();
        using Stream s = zip.CreateEntry(name).Open();
        write(s);
    }
}
