using PotNet.Hardware.Energy;

namespace PotNet.Hardware.Power;

/// <summary>
/// Which component a cell or macro belongs to, in <see cref="DesignEvents"/>' terms, from the RTL
/// modules it sits in (innermost first): lanes and adder trees are PE arithmetic, the rest of a PE
/// (its accumulator register and adder) the accumulators, a requantiser control, the row-buffer
/// dataflow's PE weight register files and row buffer their own components; writable memories
/// are the activation buffers, ROMs named for weights the weight ROM, other ROMs (taps, tap index,
/// parameters) control. Everything else (address unit, pass table, pools, sequencing, and the tap
/// index register file, a <c>potnet_held_rom</c> outside <c>potnet_pe_weights</c>) is control.
/// </summary>
public static class PowerComponents
{
    private static readonly (string Module, string Component)[] Modules =
    [
        ("potnet_lane_bac", DesignEvents.PeArithmetic),
        ("potnet_lane_mac", DesignEvents.PeArithmetic),
        ("potnet_lane_apot", DesignEvents.PeArithmetic),
        ("potnet_lane_operands", DesignEvents.PeArithmetic),
        ("potnet_adder_tree", DesignEvents.PeArithmetic),
        ("potnet_requant", DesignEvents.Control),
        ("potnet_pe", DesignEvents.Accumulators),
        ("potnet_pe_weights", DesignEvents.WeightRegisters),
        ("potnet_row_buffer", DesignEvents.RowBuffer),
    ];

    /// <summary>Every component, in report order.</summary>
    public static IReadOnlyList<string> All { get; } =
        [DesignEvents.PeArithmetic, DesignEvents.Accumulators, DesignEvents.Control, DesignEvents.WeightRom, DesignEvents.WeightRegisters, DesignEvents.ActivationBuffers, DesignEvents.RowBuffer];

    /// <summary>The component of <paramref name="instance"/>.</summary>
    public static string Of(GateInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        if (instance.Macro is MemoryMacro m)
        {
            if (m.Writable) return DesignEvents.ActivationBuffers;
            return instance.Path.Contains("weight", StringComparison.OrdinalIgnoreCase) ? DesignEvents.WeightRom : DesignEvents.Control;
        }

        foreach (string module in instance.Modules.Reverse())
        {
            foreach ((string name, string component) in Modules)
            {
                if (module == name) return component;
            }
        }

        return DesignEvents.Control;
    }
}
