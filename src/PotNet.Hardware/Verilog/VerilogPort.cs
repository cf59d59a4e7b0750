namespace PotNet.Hardware.Verilog;

/// <summary>A module port; widths are in bits (1 renders without a range).</summary>
internal sealed record VerilogPort(bool IsOutput, string Name, int Width, bool IsReg = false)
{
    public string Declaration => $"{(IsOutput ? "output" : "input ")} {(IsReg ? "reg " : "wire")} {VerilogLiteral.Range(Width)}{Name}";
}
