namespace PotNet.Hardware.Power;

/// <summary>
/// A memory the gate-level flow keeps as a black-box macro instead of mapping it to cells: a leaf
/// module that holds a Verilog array (a Yosys <c>$mem_v2</c>) and otherwise only its registers and
/// their multiplexers. Its accesses are counted in simulation and priced by a <see cref="MemoryEnergy"/>
/// model; its size comes from the array.
/// </summary>
/// <param name="Module">The (derived) module's name in the Yosys netlist.</param>
/// <param name="BaseName">The Verilog module it came from.</param>
/// <param name="Words">Words of the array.</param>
/// <param name="Width">Bits per word.</param>
/// <param name="Writable">Whether it has a write port (a RAM) or not (a ROM).</param>
/// <param name="Ports">Its ports.</param>
/// <param name="Clock">The clock port.</param>
/// <param name="WriteEnable">The 1-bit port that enables writes, or null for a ROM.</param>
/// <param name="ReadEnables">The other 1-bit inputs: a clock edge with one of them high is a read; none: every edge reads.</param>
public sealed record MemoryMacro(
    string Module, string BaseName, long Words, int Width, bool Writable, IReadOnlyList<YosysPort> Ports, string Clock, string? WriteEnable, IReadOnlyList<string> ReadEnables)
{
    private static readonly HashSet<string> RegisterCells = new(StringComparer.Ordinal) { "$dff", "$dffe", "$sdff", "$sdffe", "$sdffce", "$mux" };

    /// <summary>Bits of the array.</summary>
    public long Bits => Words * Width;

    /// <summary>Bytes of the array.</summary>
    public long Bytes => (Bits + 7) / 8;

    /// <summary>The memory macros among <paramref name="modules"/> (Yosys JSON after <c>proc; memory -nomap</c>).</summary>
    public static IReadOnlyList<MemoryMacro> Find(IReadOnlyDictionary<string, YosysModule> modules)
    {
        ArgumentNullException.ThrowIfNull(modules);
        var macros = new List<MemoryMacro>();
        foreach (YosysModule m in modules.Values)
        {
            YosysCell[] memories = [.. m.Cells.Where(c => c.Type == "$mem_v2")];
            if (memories.Length != 1 || !m.Cells.All(c => c.Type == "$mem_v2" || RegisterCells.Contains(c.Type))) continue;
            macros.Add(Of(m, memories[0]));
        }

        return macros;
    }

    private static MemoryMacro Of(YosysModule m, YosysCell memory)
    {
        var portOfBit = new Dictionary<int, string>();
        foreach (YosysPort p in m.Ports.Where(p => p.Bits.Count == 1 && !p.Output)) portOfBit[p.Bits[0]] = p.Name;
        bool writable = YosysJson.Number(memory.Parameters["WR_PORTS"]) > 0;
        IEnumerable<int> clockBits = memory.Connections["WR_CLK"].Concat(m.Cells.Where(c => c.Type.Contains("dff", StringComparison.Ordinal)).SelectMany(c => c.Connections["CLK"]));
        string clock = clockBits.Where(portOfBit.ContainsKey).Select(b => portOfBit[b]).FirstOrDefault()
            ?? throw new PotNetException($"memory {m.BaseName}: no clock port found");
        string? write = null;
        if (writable)
        {
            // The write enable reaches WR_EN directly or as the select of a multiplexer that drives it.
            var enables = memory.Connections["WR_EN"].ToHashSet();
            write = memory.Connections["WR_EN"].Concat(m.Cells.Where(c => c.Type == "$mux" && c.Connections["Y"].Any(enables.Contains)).SelectMany(c => c.Connections["S"]))
                .Where(portOfBit.ContainsKey).Select(b => portOfBit[b]).FirstOrDefault()
                ?? throw new PotNetException($"memory {m.BaseName}: no write-enable port found");
        }

        string[] reads = [.. m.Ports.Where(p => !p.Output && p.Bits.Count == 1 && p.Name != clock && p.Name != write).Select(p => p.Name)];
        return new MemoryMacro(m.Name, m.BaseName, YosysJson.Number(memory.Parameters["SIZE"]), (int)YosysJson.Number(memory.Parameters["WIDTH"]), writable, m.Ports, clock, write, reads);
    }
}
