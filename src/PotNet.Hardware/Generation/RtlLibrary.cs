using System.Reflection;

namespace PotNet.Hardware.Generation;

/// <summary>The hand-written Verilog of <c>rtl/</c>, embedded in this assembly.</summary>
internal static class RtlLibrary
{
    /// <summary>The testbench module (instantiates <c>potnet_top</c>).</summary>
    public const string Testbench = "potnet_tb.v";

    /// <summary>The library files a design of <paramref name="pe"/> PEs uses.</summary>
    public static IReadOnlyList<string> DesignFiles(PeKind pe) =>
    [
        "potnet_rom.v", "potnet_ram.v", "potnet_act_buffer.v", "potnet_address_unit.v", .. LaneFiles(pe), "potnet_adder_tree.v",
        "potnet_requant.v", "potnet_pe.v", "potnet_pool.v", "potnet_core.v",
    ];

    /// <summary>The files of one lane of <paramref name="pe"/> PEs: its operand registers and its arithmetic.</summary>
    public static IReadOnlyList<string> LaneFiles(PeKind pe) => ["potnet_lane_operands.v", $"potnet_lane_{pe.ToString().ToLowerInvariant()}.v"];

    /// <summary>The text of a library file.</summary>
    public static string Read(string file)
    {
        using Stream stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"rtl/{file}")
            ?? throw new InvalidOperationException($"rtl/{file} is not embedded in {Assembly.GetExecutingAssembly().GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
