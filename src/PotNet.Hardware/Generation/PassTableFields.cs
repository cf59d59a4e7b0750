using PotNet.Model;

namespace PotNet.Hardware.Generation;

/// <summary>
/// The pass table's fields, declared once: each field's name (the generated table's output and the
/// core's input of that name), its width (an <see cref="RtlWidths"/> parameter or a literal) and its
/// value per pass. <see cref="PassTableGenerator"/> writes the table from them, the top level wires
/// them by name, and a test checks that <c>rtl/potnet_core.v</c> declares each as an input of that width.
/// </summary>
internal static class PassTableFields
{
    /// <summary>Every field, in the table's order.</summary>
    public static IReadOnlyList<PassTableField> All { get; } =
    [
        new("kind", "2", (_, p) => (int)p.Kind),
        new("src", "1", (_, p) => p.Source),
        new("last_pos", "AW", (_, p) => p.Positions - 1),
        new("last_group", "GW", (_, p) => p.Groups - 1),
        new("last_step", "SW", (_, p) => p.Steps - 1),
        new("t_base", "TIW", (s, p) => s.TapBase[p.Index]),
        new("w_base", "WIW", (s, p) => s.WeightBase[p.Index]),
        new("b_base", "BIW", (s, p) => s.ParamBase[p.Index]),
        new("couts", "CW", (_, p) => p.OutChannels),
        new("pool_shift", "8", (_, p) => p.Step.Layer is AvgPool2d avg ? avg.Shift : 0),
        new("in_h", "DW", (_, p) => p.Window.InHeight),
        new("in_w", "DW", (_, p) => p.Window.InWidth),
        new("stride", "DW", (_, p) => p.Window.Stride),
        new("pad", "DW", (_, p) => p.Window.Padding),
        new("last_ox", "DW", (_, p) => (long)(p.Window.OutWidth - 1) * p.Window.Stride),
        new("last_oy", "DW", (_, p) => (long)(p.Window.OutHeight - 1) * p.Window.Stride),
        new("col_step", "BW", (_, p) => p.Window.Stride),
        new("row_step", "BW", (_, p) => (long)p.Window.Stride * p.Window.InWidth),
        new("n_in", "BW", (_, p) => p.SourceLayout.Positions),
        new("n_out", "BW", (_, p) => p.TargetLayout.Positions),
    ];
}

/// <summary>One field of the pass table.</summary>
/// <param name="Name">The port's name, in the table and the core.</param>
/// <param name="Width">Its width: an <see cref="RtlWidths"/> parameter's name or a literal number of bits.</param>
/// <param name="Value">Its value for a pass.</param>
internal sealed record PassTableField(string Name, string Width, Func<Schedule, Pass, long> Value);
