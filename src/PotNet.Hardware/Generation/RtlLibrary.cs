using System.Reflection;

namespace PotNet.Hardware.Generation;

/// <summary>The hand-written Verilog of <c>rtl/</c>, embedded in this assembly.</summary>
internal static class RtlLibrary
{
    /// <summary>The testbench module (instantiates <c>potnet_top</c>).</summary>
    public const string Testbench = "potnet_tb.v";

    /// <summary>The library files a design of <paramref name="pe"/> PEs and <paramref name="dataflow"/> uses.</summary>
    public static IReadOnlyList<string> DesignFiles(PeKind pe, DataflowKind dataflow) =>
    [
        "potnet_resize.v", "potnet_rom.v", "potnet_ram.v", "potnet_positions.v", .. DataflowFiles(dataflow), .. LaneFiles(pe), "potnet_adder_tree.v",
        "potnet_requant.v", "potnet_pe.v", "potnet_pool.v", "potnet_input_load.v", "potnet_step_pipeline.v", Core(dataflow),
    ];

    /// <summary>The file of <paramref name="dataflow"/>'s core; its module has the file's name.</summary>
    public static string Core(DataflowKind dataflow) => dataflow switch
    {
        DataflowKind.Stream => "potnet_core.v",
        DataflowKind.RowBuffer => "potnet_core_rowbuffer.v",
    };

    /// <summary>The module name of <paramref name="dataflow"/>'s core.</summary>
    public static string CoreModule(DataflowKind dataflow) => Path.GetFileNameWithoutExtension(Core(dataflow));

    /// <summary>The storage and addressing files of <paramref name="dataflow"/> (besides ROMs and bank memories).</summary>
    private static IReadOnlyList<string> DataflowFiles(DataflowKind dataflow) => dataflow switch
    {
        DataflowKind.Stream => ["potnet_act_buffer.v", "potnet_address_unit.v"],
        DataflowKind.RowBuffer => ["potnet_held_rom.v", "potnet_pe_weights.v", "potnet_row_buffer.v", "potnet_row_loader.v", "potnet_rb_address_unit.v", "potnet_column_drain.v"],
    };

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
