namespace PotNet.Hardware.Simulation;

/// <summary>The Verilog simulators a design runs in.</summary>
public enum Simulator
{
    /// <summary>Verilator (compiled to C++; fast).</summary>
    Verilator,

    /// <summary>Icarus Verilog (iverilog and vvp; an event-driven interpreter).</summary>
    Icarus,
}
