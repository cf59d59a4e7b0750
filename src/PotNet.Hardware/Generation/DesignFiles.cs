namespace PotNet.Hardware.Generation;

/// <summary>The layout of a generated design directory (paths relative to it; simulations run there).</summary>
public static class DesignFiles
{
    /// <summary>The design's parameters, widths, passes and predicted counts (JSON).</summary>
    public const string Manifest = "manifest.json";

    /// <summary>A copy of the model the design computes, so that the directory is self-contained.</summary>
    public const string Model = "model.potnet";

    /// <summary>Verilog sources: the hand-written library and the generated modules.</summary>
    public const string Rtl = "rtl";

    /// <summary>The design's sources, for lint and synthesis (a Verilator/Icarus command file).</summary>
    public const string DesignList = "design.f";

    /// <summary>The design's and the testbench's sources.</summary>
    public const string SimulationList = "sim.f";

    /// <summary>Builds and runs a simulation by hand: <c>./run.sh verilator|icarus N</c>.</summary>
    public const string RunScript = "run.sh";

    /// <summary>The testbench's counter dump, included by it (generated from <see cref="EventCounts.Counters"/>).</summary>
    public const string CounterDump = "rtl/potnet_counters.vh";

    /// <summary>The include directory of the simulation's sources, as a command-file line.</summary>
    public const string IncludeDirectory = "+incdir+rtl";

    /// <summary>The tap ROM's image.</summary>
    public const string TapRom = "mem/taps.hex";

    /// <summary>Simulation inputs and outputs.</summary>
    public const string Images = "sim/images.hex";

    /// <summary>The ReferenceEngine's logits and class per image, for the testbench's comparison.</summary>
    public const string Expected = "sim/expected.hex";

    /// <summary>What the testbench saw: per image cycles, class and logits; then the counters.</summary>
    public const string Outputs = "sim/outputs.txt";

    /// <summary>Simulator builds, one directory per simulator.</summary>
    public const string Build = "build";

    /// <summary>The weight ROM image of PE <paramref name="pe"/>.</summary>
    public static string WeightRom(int pe) => $"mem/weights{pe}.hex";

    /// <summary>The weight ROM image of lane <paramref name="lane"/> of PE <paramref name="pe"/> (<see cref="DataflowKind.RowBuffer"/>).</summary>
    public static string LaneWeightRom(int pe, int lane) => $"mem/weights{pe}_{lane}.hex";

    /// <summary>The broadcast weight ROM image of PE <paramref name="pe"/> (<see cref="DataflowKind.RowBuffer"/>: the passes whose lanes are columns).</summary>
    public static string PeWeightRom(int pe) => $"mem/pe_weights{pe}.hex";

    /// <summary>The bias-and-shift ROM image of PE <paramref name="pe"/>.</summary>
    public static string ParamRom(int pe) => $"mem/params{pe}.hex";

    /// <summary>The tap index ROM of a zero-skipping design (<see cref="DataflowKind.RowBuffer"/>).</summary>
    public const string TapIndexRom = "mem/tap_index.hex";
}
