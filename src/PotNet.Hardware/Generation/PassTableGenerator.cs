using PotNet.Hardware.Verilog;

namespace PotNet.Hardware.Generation;

/// <summary>Generates <c>potnet_passes</c>: each pass's <see cref="PassTableFields"/>, selected by the pass index.</summary>
internal static class PassTableGenerator
{
    public const string ModuleName = "potnet_passes";

    /// <summary>The table's outputs, as the core's pass-table inputs of the same names.</summary>
    public static IReadOnlyList<VerilogPort> Outputs(Schedule s) =>
        [.. PassTableFields.Of(s.Config.Dataflow).Select(f => new VerilogPort(true, f.Name, RtlWidths.Resolve(s, f.Width), true))];

    public static VerilogModule Create(Schedule s)
    {
        var module = new VerilogModule(ModuleName, "The pass table: per pass, its kind, counts, ROM bases and the address unit's geometry.\n" + string.Join('\n', s.Passes.Select(Describe)));
        module.Input("pass", s.PassWidth);
        IReadOnlyList<VerilogPort> outputs = Outputs(s);
        foreach (VerilogPort port in outputs) module.Output(port.Name, port.Width, isReg: true);
        var table = module.Add(new VerilogCaseTable("pass", s.PassWidth, outputs));
        foreach (Pass pass in s.Passes)
        {
            table.AddRow([.. PassTableFields.Of(s.Config.Dataflow).Select((f, i) => VerilogLiteral.Sized(outputs[i].Width, f.Value(s, pass)))]);
        }

        return module;
    }

    private static string Describe(Pass p) =>
        $"  pass {p.Index}: {p.Name} ({p.Kind}): {p.Positions} positions x {p.Groups} groups x {p.Steps} steps, reads buffer {p.Source}";
}
