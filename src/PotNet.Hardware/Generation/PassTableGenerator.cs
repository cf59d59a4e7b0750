using PotNet.Hardware.Verilog;
using PotNet.Model;

namespace PotNet.Hardware.Generation;

/// <summary>Generates <c>potnet_passes</c>: each pass's counts, ROM bases and kind, selected by the pass index.</summary>
internal static class PassTableGenerator
{
    public const string ModuleName = "potnet_passes";

    /// <summary>The table's outputs, as the core's pass-table inputs of the same names.</summary>
    public static IReadOnlyList<VerilogPort> Outputs(Schedule s) =>
    [
        new(true, "kind", 2, true), new(true, "src", 1, true), new(true, "last_pos", s.AddressWidth, true),
        new(true, "last_group", s.GroupWidth, true), new(true, "last_step", s.StepWidth, true),
        new(true, "t_base", s.TapIndexWidth, true), new(true, "w_base", s.WeightIndexWidth, true),
        new(true, "b_base", s.ParamIndexWidth, true), new(true, "couts", s.ChannelWidth, true), new(true, "pool_shift", 8, true),
        new(true, "in_h", s.CoordinateWidth, true), new(true, "in_w", s.CoordinateWidth, true), new(true, "stride", s.CoordinateWidth, true), new(true, "pad", s.CoordinateWidth, true),
        new(true, "last_ox", s.CoordinateWidth, true), new(true, "last_oy", s.CoordinateWidth, true),
        new(true, "col_step", s.BankAddressWidth, true), new(true, "row_step", s.BankAddressWidth, true), new(true, "n_in", s.BankAddressWidth, true), new(true, "n_out", s.BankAddressWidth, true),
    ];

    public static VerilogModule Create(Schedule s)
    {
        var module = new VerilogModule(ModuleName, "The pass table: per pass, its kind, counts, ROM bases and the address unit's geometry.\n" + string.Join('\n', s.Passes.Select(Describe)));
        module.Input("pass", s.PassWidth);
        IReadOnlyList<VerilogPort> outputs = Outputs(s);
        foreach (VerilogPort port in outputs) module.Output(port.Name, port.Width, isReg: true);
        var table = module.Add(new VerilogCaseTable("pass", s.PassWidth, outputs));
        foreach (Pass pass in s.Passes)
        {
            int poolShift = pass.Step.Layer is AvgPool2d avg ? avg.Shift : 0;
            PassWindow w = pass.Window;
            long[] values =
            [
                (int)pass.Kind, pass.Source, pass.Positions - 1, pass.Groups - 1, pass.Steps - 1,
                s.TapBase[pass.Index], s.WeightBase[pass.Index], s.ParamBase[pass.Index], pass.OutChannels, poolShift,
                w.InHeight, w.InWidth, w.Stride, w.Padding, (long)(w.OutWidth - 1) * w.Stride, (long)(w.OutHeight - 1) * w.Stride,
                w.Stride, (long)w.Stride * w.InWidth, pass.SourceLayout.Positions, pass.TargetLayout.Positions,
            ];
            table.AddRow([.. values.Select((v, i) => VerilogLiteral.Sized(outputs[i].Width, v))]);
        }

        return module;
    }

    private static string Describe(Pass p) =>
        $"  pass {p.Index}: {p.Name} ({p.Kind}): {p.Positions} positions x {p.Groups} groups x {p.Steps} steps, reads buffer {p.Source}";
}
