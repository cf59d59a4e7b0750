using PotNet.Hardware.Energy;

namespace PotNet.Hardware.Power;

/// <summary>
/// The memories' energy, a model (no SRAM or ROM compiler for OSU 0.18 um is at hand): an access
/// costs the SRAM read energy of Horowitz (ISSCC 2014, 45 nm, 0.9 V; the memory_read curve of the
/// <c>asic-45nm</c> table, by the memory's size) scaled to 0.18 um at 1.8 V by first-order
/// constant-field scaling, energy ~ C V^2 with C ~ feature size: (180/45) x (1.8/0.9)^2 = 16. A
/// write costs a read of the same width, a ROM read an SRAM read. Leakage: each bit leaks as the
/// library's LATCH cell (a latch has more transistors than a 6T cell, so an upper estimate).
/// </summary>
public static class MemoryEnergy
{
    /// <summary>(180 nm / 45 nm) x (1.8 V / 0.9 V)^2.</summary>
    public const double ScaleFrom45nm = 16;

    /// <summary>The model's description, for reports.</summary>
    public const string Source = "modelled: Horowitz ISSCC 2014 SRAM read energy by size (asic-45nm memory_read) x 16 (45 nm 0.9 V to 180 nm 1.8 V, E ~ C V^2, C ~ L); write = read; leakage per bit = OSU018 LATCH";

    /// <summary>Energy of one access moving <paramref name="bits"/> bits of a memory of <paramref name="bytes"/> bytes, in picojoules.</summary>
    public static double AccessPicojoules(long bytes, int bits)
    {
        EnergyTable table = EnergyTable.Load("asic-45nm");
        return table.Price(new EnergyEvent("memory", EventKind.MemoryRead, bits, 1, null, bytes)) * ScaleFrom45nm;
    }

    /// <summary>Leakage of a memory of <paramref name="bits"/> bits, in watts.</summary>
    public static double LeakageWatts(long bits, CellLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        return bits * library.Cell("LATCH", "memory leakage model").LeakageWatts;
    }
}
