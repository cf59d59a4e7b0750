using System.Globalization;
using System.Text.Json;

namespace PotNet.Hardware.Power;

/// <summary>A module port in Yosys's JSON netlist.</summary>
/// <param name="Name">The port's name.</param>
/// <param name="Output">Whether it is an output.</param>
/// <param name="Bits">Its bits' net ids (or constants, see <see cref="YosysJson.Bit"/>), least significant first.</param>
public sealed record YosysPort(string Name, bool Output, IReadOnlyList<int> Bits);

/// <summary>A cell of a module in Yosys's JSON netlist.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Type">Its type: a library cell, a module, or a Yosys internal cell ($mem_v2, $dff, ...).</param>
/// <param name="Parameters">Its parameters, as Yosys writes them (binary strings).</param>
/// <param name="Connections">Its pins' bits.</param>
public sealed record YosysCell(string Name, string Type, IReadOnlyDictionary<string, string> Parameters, IReadOnlyDictionary<string, IReadOnlyList<int>> Connections);

/// <summary>A module in Yosys's JSON netlist.</summary>
/// <param name="Name">Its (derived) name.</param>
/// <param name="BaseName">The Verilog module it was derived from (its <c>hdlname</c>), or its name.</param>
/// <param name="Ports">Its ports in order.</param>
/// <param name="Cells">Its cells.</param>
public sealed record YosysModule(string Name, string BaseName, IReadOnlyList<YosysPort> Ports, IReadOnlyList<YosysCell> Cells);

/// <summary>Reads the modules of a Yosys <c>write_json</c> file.</summary>
public static class YosysJson
{
    /// <summary>Constant bits: Yosys writes "0", "1", "x" and "z" where a net id would be.</summary>
    public const int Zero = -1, One = -2, Undefined = -3;

    /// <summary>The modules of <paramref name="path"/> by name.</summary>
    public static IReadOnlyDictionary<string, YosysModule> Read(string path)
    {
        using FileStream stream = File.OpenRead(path);
        using JsonDocument document = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 64 });
        var modules = new Dictionary<string, YosysModule>(StringComparer.Ordinal);
        foreach (JsonProperty module in document.RootElement.GetProperty("modules").EnumerateObject())
        {
            JsonElement m = module.Value;
            string baseName = m.TryGetProperty("attributes", out JsonElement a) && a.TryGetProperty("hdlname", out JsonElement h)
                ? h.GetString()!.TrimStart('\\') : module.Name;
            YosysPort[] ports = [.. m.GetProperty("ports").EnumerateObject().Select(p => new YosysPort(
                p.Name, p.Value.GetProperty("direction").GetString() == "output", Bits(p.Value.GetProperty("bits"))))];
            var cells = new List<YosysCell>();
            if (m.TryGetProperty("cells", out JsonElement cs))
            {
                foreach (JsonProperty c in cs.EnumerateObject())
                {
                    var parameters = c.Value.TryGetProperty("parameters", out JsonElement ps)
                        ? ps.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString(), StringComparer.Ordinal)
                        : new Dictionary<string, string>(StringComparer.Ordinal);
                    var connections = c.Value.GetProperty("connections").EnumerateObject()
                        .ToDictionary(p => p.Name, p => Bits(p.Value), StringComparer.Ordinal);
                    cells.Add(new YosysCell(c.Name, c.Value.GetProperty("type").GetString()!, parameters, connections));
                }
            }

            modules[module.Name] = new YosysModule(module.Name, baseName, ports, cells);
        }

        return modules;
    }

    /// <summary>A binary parameter's value.</summary>
    public static long Number(string binary) => binary.All(c => c is '0' or '1') && binary.Length > 0
        ? Convert.ToInt64(binary.Length > 62 ? binary[^62..] : binary, 2)
        : long.Parse(binary, CultureInfo.InvariantCulture);

    private static IReadOnlyList<int> Bits(JsonElement bits) => [.. bits.EnumerateArray().Select(Bit)];

    /// <summary>A bit: a net id, or <see cref="Zero"/>, <see cref="One"/>, <see cref="Undefined"/>.</summary>
    public static int Bit(JsonElement bit) => bit.ValueKind == JsonValueKind.Number ? bit.GetInt32() : bit.GetString() switch
    {
        "0" => Zero,
        "1" => One,
        _ => Undefined,
    };
}
