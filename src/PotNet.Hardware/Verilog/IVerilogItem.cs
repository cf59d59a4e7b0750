using System.Text;

namespace PotNet.Hardware.Verilog;

/// <summary>Something in a module's body: an instance, an assignment, a table.</summary>
internal interface IVerilogItem
{
    /// <summary>Appends the item's Verilog, indented by one level.</summary>
    void Render(StringBuilder text);
}
