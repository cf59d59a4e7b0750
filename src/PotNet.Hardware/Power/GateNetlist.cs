using System.Globalization;
using System.Text;

namespace PotNet.Hardware.Power;

/// <summary>One instance of the flat gate netlist: a library cell or a memory macro.</summary>
/// <param name="Id">Its name in the netlists PotNet writes (<c>i0</c>, <c>i1</c>, ...).</param>
/// <param name="Path">Its hierarchical name in the synthesised design.</param>
/// <param name="Modules">The Verilog modules it sits in, outermost first (the top left out).</param>
/// <param name="Type">The library cell's name, or the macro's module.</param>
/// <param name="Pins">Each pin's net (a net id, or <see cref="YosysJson.Zero"/>/<see cref="YosysJson.One"/>), bit by bit.</param>
/// <param name="Macro">The memory, for a macro instance.</param>
public sealed record GateInstance(string Id, string Path, IReadOnlyList<string> Modules, string Type, IReadOnlyDictionary<string, IReadOnlyList<int>> Pins, MemoryMacro? Macro);

/// <summary>
/// The synthesised design flattened: library cells and memory macros connected by numbered nets.
/// PotNet flattens the hierarchical Yosys netlist itself, so that each cell keeps the modules it came
/// from (its component), and writes the same netlist for Verilator and for OpenSTA with plain names.
/// </summary>
public sealed class GateNetlist
{
    private GateNetlist(string top, IReadOnlyList<YosysPort> ports, IReadOnlyList<GateInstance> instances, IReadOnlyList<MemoryMacro> macros, IReadOnlyList<(int Net, int Source)> aliases)
    {
        Aliases = aliases;
        Top = top;
        Ports = ports;
        Instances = instances;
        Macros = macros;
    }

    /// <summary>The top module's name.</summary>
    public string Top { get; }

    /// <summary>The top module's ports (bits are net ids).</summary>
    public IReadOnlyList<YosysPort> Ports { get; }

    /// <summary>Every instance.</summary>
    public IReadOnlyList<GateInstance> Instances { get; }

    /// <summary>The instance <paramref name="id"/>'s place in the design (its path of module instances and Yosys's cell name); a name that is no instance (a port) as it is.</summary>
    public string PlaceOf(string id) => Instances.FirstOrDefault(i => i.Id == id)?.Path ?? id;

    /// <summary>
    /// Nets that are another net or a constant under another name: a module's output port tied to a
    /// constant or to another of its ports inside it. Written as <c>assign Net = Source</c>.
    /// </summary>
    public IReadOnlyList<(int Net, int Source)> Aliases { get; }

    /// <summary>The distinct memory macros.</summary>
    public IReadOnlyList<MemoryMacro> Macros { get; }

    /// <summary>The macro's module name in the netlists PotNet writes.</summary>
    public string MacroName(MemoryMacro macro) => $"potnet_macro_{IndexOf(macro)}";

    private int IndexOf(MemoryMacro macro) => Macros.ToList().IndexOf(macro);

    /// <summary>Flattens <paramref name="top"/> of a hierarchical mapped netlist; cells not in <paramref name="library"/> must be macros or modules.</summary>
    public static GateNetlist Flatten(IReadOnlyDictionary<string, YosysModule> modules, string top, CellLibrary library, IReadOnlyList<MemoryMacro> macros)
    {
        ArgumentNullException.ThrowIfNull(modules);
        ArgumentNullException.ThrowIfNull(library);
        ArgumentNullException.ThrowIfNull(macros);
        if (!modules.TryGetValue(top, out YosysModule? root)) throw new PotNetException($"the synthesised netlist has no module {top}");
        var macroByModule = macros.ToDictionary(m => m.Module, StringComparer.Ordinal);
        var instances = new List<GateInstance>();
        var aliases = new List<(int, int)>();
        int next = 0;
        var topMap = new Dictionary<int, int>();
        foreach (int bit in root.Ports.SelectMany(p => p.Bits).Where(b => b >= 0)) topMap.TryAdd(bit, next++);
        Walk(root, topMap, "", []);
        var ports = root.Ports.Select(p => p with { Bits = [.. p.Bits.Select(b => b >= 0 ? topMap[b] : b)] }).ToArray();
        return new GateNetlist(top, ports, instances, macros, aliases);

        void Walk(YosysModule module, Dictionary<int, int> map, string prefix, IReadOnlyList<string> path)
        {
            int Net(int bit) => bit < 0 ? (bit == YosysJson.One ? YosysJson.One : YosysJson.Zero) : map.TryGetValue(bit, out int n) ? n : map[bit] = next++;
            foreach (YosysCell cell in module.Cells)
            {
                string name = prefix + cell.Name.TrimStart('\\');
                if (library.Cells.ContainsKey(cell.Type) || macroByModule.ContainsKey(cell.Type))
                {
                    var pins = cell.Connections.ToDictionary(c => c.Key, c => (IReadOnlyList<int>)[.. c.Value.Select(Net)], StringComparer.Ordinal);
                    instances.Add(new GateInstance($"i{instances.Count}", name, path, cell.Type, pins, macroByModule.GetValueOrDefault(cell.Type)));
                }
                else if (modules.TryGetValue(cell.Type, out YosysModule? child))
                {
                    var inner = new Dictionary<int, int>();
                    foreach (YosysPort port in child.Ports.OrderBy(p => p.Output))
                    {
                        if (!cell.Connections.TryGetValue(port.Name, out IReadOnlyList<int>? outer)) continue;
                        for (int k = 0; k < port.Bits.Count && k < outer.Count; k++)
                        {
                            int net = Net(outer[k]);
                            int bit = port.Bits[k];
                            // An output tied to a constant inside the child, or to a bit already mapped (another port of it): an alias.
                            if (bit < 0) aliases.Add((net, bit == YosysJson.One ? YosysJson.One : YosysJson.Zero));
                            else if (inner.TryGetValue(bit, out int known) && known != net) aliases.Add((net, known));
                            else inner[bit] = net;
                        }
                    }

                    // A child's port bit tied to a constant in the parent keeps the constant's negative id.
                    Walk(child, inner, name + ".", [.. path, child.BaseName]);
                }
                else
                {
                    throw new PotNetException($"{name}: cell type {cell.Type} is neither a cell of {library.Path} nor a module of the design");
                }
            }
        }
    }

    /// <summary>Net ids driven by <paramref name="instance"/>'s outputs (a macro's outputs too).</summary>
    public static IEnumerable<int> OutputNets(GateInstance instance, CellLibrary library)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(library);
        IEnumerable<string> outputs = instance.Macro is MemoryMacro m
            ? m.Ports.Where(p => p.Output).Select(p => p.Name)
            : library.Cell(instance.Type, instance.Path).Outputs.Select(p => p.Name);
        return outputs.Where(instance.Pins.ContainsKey).SelectMany(o => instance.Pins[o]).Where(n => n >= 0);
    }

    /// <summary>Every net id.</summary>
    public IEnumerable<int> Nets => Instances.SelectMany(i => i.Pins.Values.SelectMany(b => b)).Concat(Ports.SelectMany(p => p.Bits)).Where(n => n >= 0).Distinct();

    /// <summary>The net's name in the written netlists.</summary>
    public static string NetName(int net) => net switch
    {
        YosysJson.One => "1'b1",
        < 0 => "1'b0",
        _ => "n" + net.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A macro pin's name: the port, and its bit for a multi-bit port.</summary>
    public static string MacroPin(YosysPort port, int bit) => port.Bits.Count == 1 ? port.Name : $"{port.Name}_{bit}";

    /// <summary>The flat netlist in Verilog: the top's ports, a wire per net, one instance per cell; macro pins bit by bit.</summary>
    public string Verilog()
    {
        var text = new StringBuilder();
        text.AppendLine($"// The {Top} gate netlist, flattened by PotNet from Yosys's mapping to library cells.");
        text.AppendLine($"module {Top} ({string.Join(", ", Ports.Select(p => p.Name))});");
        foreach (YosysPort p in Ports) text.AppendLine($"    {(p.Output ? "output" : "input")} {(p.Bits.Count > 1 ? $"[{p.Bits.Count - 1}:0] " : "")}{p.Name};");
        var portNets = Ports.SelectMany(p => p.Bits).Where(b => b >= 0).ToHashSet();
        foreach (int net in Nets.Order()) text.AppendLine($"    wire {NetName(net)};");
        foreach (YosysPort p in Ports)
        {
            for (int k = 0; k < p.Bits.Count; k++)
            {
                string bit = p.Bits.Count > 1 ? $"{p.Name}[{k}]" : p.Name;
                text.AppendLine(p.Output ? $"    assign {bit} = {NetName(p.Bits[k])};" : $"    assign {NetName(p.Bits[k])} = {bit};");
            }
        }

        foreach ((int net, int source) in Aliases.Where(a => a.Net >= 0)) text.AppendLine($"    assign {NetName(net)} = {NetName(source)};");
        foreach (GateInstance i in Instances)
        {
            IEnumerable<string> pins = i.Macro is MemoryMacro m
                ? m.Ports.Where(p => i.Pins.ContainsKey(p.Name)).SelectMany(p => i.Pins[p.Name].Select((n, k) => $".{MacroPin(p, k)}({NetName(n)})"))
                : i.Pins.Select(p => $".{p.Key}({NetName(p.Value[0])})");
            text.AppendLine($"    {(i.Macro is MemoryMacro macro ? MacroName(macro) : i.Type)} {i.Id} ({string.Join(", ", pins)});");
        }

        text.AppendLine("endmodule");
        return text.ToString();
    }
}
