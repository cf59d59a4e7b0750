using System.Text;

namespace PotNet.Hardware.Verilog;

/// <summary><c>assign target = expression;</c></summary>
internal sealed record VerilogAssign(string Target, string Expression) : IVerilogItem
{
    public void Render(StringBuilder text) => text.Append("    assign ").Append(Target).Append(" = ").Append(Expression).AppendLine(";");
}
