namespace PotNet.Hardware.Energy;

/// <summary>What a hardware event does, for pricing it in an <see cref="EnergyTable"/>.</summary>
public enum EventKind
{
    /// <summary>An addition of <c>Bits</c>-wide operands (adder trees, accumulators).</summary>
    Add,

    /// <summary>A multiplication of <c>Bits</c>-wide operands in logic (MAC processing elements built from LUTs or gates).</summary>
    Multiply,

    /// <summary>A multiplication in a hard multiplier block (an FPGA's DSP slice); an ASIC table prices it as <see cref="Multiply"/>.</summary>
    HardMultiply,

    /// <summary>A barrel shift of a <c>Bits</c>-wide operand (BAC and APoT processing elements, requantisation).</summary>
    Shift,

    /// <summary>A gated operation: a zero weight holds the PE's operands, so (ideally) nothing switches.</summary>
    Gated,

    /// <summary><c>Bits</c> bits read from a memory of <c>MemoryBytes</c> bytes.</summary>
    MemoryRead,

    /// <summary><c>Bits</c> bits written to a memory of <c>MemoryBytes</c> bytes.</summary>
    MemoryWrite,

    /// <summary>
    /// A clock cycle of the design: what its clock tree, registers and control logic (sequencing,
    /// address counters, pass table) spend every cycle whatever the PEs do. One event per cycle.
    /// </summary>
    Cycle,
}

/// <summary>
/// Events of one kind, counted per inference, in one component of one layer: the unit the energy
/// model prices. For arithmetic <see cref="Bits"/> is the operand width; for memories it is the
/// number of bits moved per event and <see cref="MemoryBytes"/> the memory's size.
/// </summary>
/// <param name="Component">Where: "pe", "adder_tree", "accumulator", "weight_rom", "activation_buffer", "requantizer", ...</param>
/// <param name="Kind">What the event does.</param>
/// <param name="Bits">Operand width, or bits moved per memory access.</param>
/// <param name="Count">Events per inference.</param>
/// <param name="Layer">The layer, or null for events not tied to one.</param>
/// <param name="MemoryBytes">For memory events, the memory's size in bytes.</param>
public sealed record EnergyEvent(string Component, EventKind Kind, int Bits, long Count, string? Layer = null, long MemoryBytes = 0);
