using System.Text;

namespace PotNet.Hardware.Verilog;

/// <summary>
/// A combinational lookup table: <c>always @*</c> with a case over a selector, one row of constants
/// per selector value; the first row doubles as the default.
/// </summary>
internal sealed class VerilogCaseTable(string selector, int selectorWidth, IReadOnlyList<VerilogPort> outputs) : IVerilogItem
{
    private readonly List<string[]> _rows = [];

    /// <summary>Adds the row for the next selector value: one literal per output, in order.</summary>
    public void AddRow(params string[] values)
    {
        if (values.Length != outputs.Count) throw new ArgumentException($"{values.Length} values for {outputs.Count} outputs", nameof(values));
        _rows.Add(values);
    }

    public void Render(StringBuilder text)
    {
        text.AppendLine("    always @* begin");
        text.Append("        case (").Append(selector).AppendLine(")");
        for (int i = 0; i < _rows.Count; i++) Row(text, $"{selectorWidth}'d{i}", _rows[i]);
        if (_rows.Count < 1L << selectorWidth) Row(text, "default", _rows[0]);
        text.AppendLine("        endcase");
        text.AppendLine("    end");
    }

    private void Row(StringBuilder text, string label, string[] values)
    {
        text.Append("            ").Append(label).AppendLine(": begin");
        for (int i = 0; i < values.Length; i++)
        {
            text.Append("                ").Append(outputs[i].Name).Append(" = ").Append(values[i]).AppendLine(";");
        }

        text.AppendLine("            end");
    }
}
