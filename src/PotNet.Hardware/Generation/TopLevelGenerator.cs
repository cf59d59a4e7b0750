using System.Numerics;
using PotNet.Formats;
using PotNet.Hardware.Verilog;

namespace PotNet.Hardware.Generation;

/// <summary>
/// Generates <c>potnet_top</c>: the core of the dataflow, the pass table, the weight storage (the tap ROM
/// and a weight ROM per PE for <see cref="DataflowKind.Stream"/>; a weight ROM per lane and a broadcast
/// weight ROM and register file per PE for <see cref="DataflowKind.RowBuffer"/>) and the PE array (per
/// PE a bias-and-shift ROM, L lanes of the PE kind and the reducing PE), wired together.
/// </summary>
internal static class TopLevelGenerator
{
    public const string ModuleName = "potnet_top";

    public static VerilogModule Create(Schedule s)
    {
        AcceleratorConfig c = s.Config;
        int p = c.Parallel, l = c.Lanes, acc = s.AccumulatorWidth, bits = s.Format.Bits;
        var module = new VerilogModule(ModuleName,
            $"A PotNet accelerator for {s.Model.Plan.Count} layers: {c.PeName} PEs, P = {p}, L = {l}, zero gating {(c.ZeroGating ? "on" : "off")}, zero skipping {(c.ZeroSkipping ? "on" : "off")}, {s.Format.Name} weights, {c.DataflowName} dataflow.");
        module.Input("clk").Input("rst")
            .Input("s_axis_tdata", 8).Input("s_axis_tvalid").Output("s_axis_tready").Input("s_axis_tlast")
            .Output("m_axis_tdata", 32).Output("m_axis_tvalid").Input("m_axis_tready").Output("m_axis_tlast")
            .Output("frame_error");

        module.Wire("pass", s.PassWidth);
        IReadOnlyList<VerilogPort> table = PassTableGenerator.Outputs(s);
        foreach (VerilogPort port in table) module.Wire(port.Name, port.Width);
        module.Wire("b_en", p).Wire("b_addr", s.ParamIndexWidth)
            .Wire("lane_x", 8 * l).Wire("lane_ok", l).Wire("pe_load", p).Wire("acc_first").Wire("acc_en", p)
            .Wire("pe_zero", p * l).Wire("pe_acc", p * acc).Wire("pe_q", 8 * p);
        for (int j = 0; j < p; j++) module.Wire($"code{j}", l * bits).Wire($"param{j}", acc + 8).Wire($"prod{j}", l * acc);

        module.Add(new VerilogInstance(PassTableGenerator.ModuleName, "u_passes").Same(["pass", .. table.Select(t => t.Name)]));
        VerilogInstance core = Core(s, table);
        module.Add(core);
        ColumnControl columns = c.Dataflow switch
        {
            DataflowKind.Stream => StreamWeights(s, module, core),
            DataflowKind.RowBuffer => RowBufferWeights(s, module, core),
        };

        for (int j = 0; j < p; j++)
        {
            module.Add(Rom($"u_params{j}", acc + 8, s.ParamIndexWidth, DesignFiles.ParamRom(j))
                .Connect("en", $"b_en[{j}]").Connect("addr", "b_addr").Connect("q", $"param{j}"));
            for (int lane = 0; lane < l; lane++) module.Add(Lane(s, j, lane));
            module.Add(PeInstance(s, $"u_pe{j}")
                .Connect("clk", "clk").Connect("acc_en", $"acc_en[{j}]").Connect("first", "acc_first")
                .Connect("cols", columns.Cols).Connect("lane_en", columns.LaneEn).Connect("latch", columns.Latch(j))
                .Connect("latch_lanes", columns.LatchLanes).Connect("sel", columns.Sel)
                .Connect("products", $"prod{j}").Connect("bias", $"param{j}[{acc - 1}:0]").Connect("shift", $"param{j}[{acc + 7}:{acc}]")
                .Connect("acc", $"pe_acc[{(j * acc) + acc - 1}:{j * acc}]").Connect("q", $"pe_q[{(j * 8) + 7}:{j * 8}]"));
        }

        return module;
    }

    /// <summary><see cref="DataflowKind.Stream"/>: the tap ROM, and per PE a weight ROM of L codes a word.</summary>
    private static ColumnControl StreamWeights(Schedule s, VerilogModule module, VerilogInstance core)
    {
        int p = s.Config.Parallel, l = s.Config.Lanes, bits = s.Format.Bits;
        module.Wire("t_en").Wire("t_addr", s.TapIndexWidth).Wire("t_word", l * RomImages.TapLaneWidth(s))
            .Wire("w_en", p).Wire("w_addr", s.WeightIndexWidth);
        core.Same("t_en", "t_addr", "t_word", "w_en", "w_addr");
        module.Add(Rom("u_tap_rom", l * RomImages.TapLaneWidth(s), s.TapIndexWidth, DesignFiles.TapRom)
            .Connect("en", "t_en").Connect("addr", "t_addr").Connect("q", "t_word"));
        for (int j = 0; j < p; j++)
        {
            module.Add(Rom($"u_weights{j}", l * bits, s.WeightIndexWidth, DesignFiles.WeightRom(j))
                .Connect("en", $"w_en[{j}]").Connect("addr", "w_addr").Connect("q", $"code{j}"));
        }

        // Its lanes are always taps.
        return new("1'b0", VerilogLiteral.Sized(l, 0), _ => "1'b0", VerilogLiteral.Sized(l, 0), VerilogLiteral.Sized(RtlWidths.Resolve(s, "LW"), 0));
    }

    /// <summary>
    /// <see cref="DataflowKind.RowBuffer"/>: per lane of each PE a weight ROM of one code a word (the passes
    /// whose lanes are taps), per PE a broadcast weight ROM and register file (the passes whose lanes are
    /// columns), and each lane's code from the one its pass's mapping names.
    /// </summary>
    private static ColumnControl RowBufferWeights(Schedule s, VerilogModule module, VerilogInstance core)
    {
        int p = s.Config.Parallel, l = s.Config.Lanes, bits = s.Format.Bits;
        int registers = RtlWidths.Resolve(s, "FIW");
        module.Wire("w_en", p * l).Wire("w_addr", s.WeightIndexWidth).Wire("p_en", p).Wire("f_re", p).Wire("f_raddr", registers)
            .Wire("f_we", p).Wire("f_waddr", registers).Wire("f_sel");
        core.Same("w_en", "w_addr", "p_en", "f_re", "f_raddr", "f_we", "f_waddr", "f_sel");
        for (int j = 0; j < p; j++)
        {
            module.Wire($"lcode{j}", l * bits).Wire($"pcode{j}", bits);
            module.Add(new VerilogInstance("potnet_pe_weights", $"u_pe_weights{j}")
                .Parameter("B", bits).Parameter("WIW", s.WeightIndexWidth).Parameter("FIW", registers)
                .Parameter("FILE", VerilogLiteral.String(DesignFiles.PeWeightRom(j)))
                .Connect("clk", "clk").Connect("rom_en", $"p_en[{j}]").Connect("rom_addr", "w_addr")
                .Connect("rf_re", $"f_re[{j}]").Connect("rf_raddr", "f_raddr").Connect("rf_we", $"f_we[{j}]")
                .Connect("rf_waddr", "f_waddr").Connect("sel", "f_sel").Connect("code", $"pcode{j}"));
            for (int lane = 0; lane < l; lane++)
            {
                string code = $"[{(lane * bits) + bits - 1}:{lane * bits}]";
                module.Add(Rom($"u_weights{j}_{lane}", bits, s.WeightIndexWidth, DesignFiles.LaneWeightRom(j, lane))
                    .Connect("en", $"w_en[{(j * l) + lane}]").Connect("addr", "w_addr").Connect("q", $"lcode{j}{code}"));
                module.Add(new VerilogAssign($"code{j}{code}", $"cols ? pcode{j} : lcode{j}{code}"));
            }
        }

        module.Wire("lane_acc", l).Wire("res_sel", RtlWidths.Resolve(s, "LW")).Wire("res_latch", p).Wire("res_lanes", l);
        core.Same("lane_acc", "res_sel", "res_latch", "res_lanes");
        TapIndex(s, module, core);
        return new("cols", "lane_acc", j => $"res_latch[{j}]", "res_lanes", "res_sel");
    }

    /// <summary>
    /// The tap index ROM (<see cref="DataflowKind.RowBuffer"/>) with, in a zero-skipping design, its register
    /// file for the passes that hold their weights (as deep as the PEs' weight register files, each word
    /// the fields those passes need, <see cref="TapIndexFields.HeldWidth"/>), its word, or the register
    /// file's widened, sliced into the core's <see cref="TapIndexFields"/> inputs.
    /// </summary>
    private static void TapIndex(Schedule s, VerilogModule module, VerilogInstance core)
    {
        int width = TapIndexFields.Width(s), held = TapIndexFields.HeldWidth(s), registers = RtlWidths.Resolve(s, "FIW");
        module.Wire("i_en").Wire("i_addr", s.TapIndexAddressWidth).Wire("i_re").Wire("i_raddr", registers)
            .Wire("i_we").Wire("i_waddr", registers).Wire("i_sel").Wire("i_rom", width).Wire("i_rfw", held).Wire("i_rfq", held);
        core.Same("i_en", "i_addr", "i_re", "i_raddr", "i_we", "i_waddr", "i_sel");
        module.Add(new VerilogInstance("potnet_held_rom", "u_tap_index")
            .Parameter("WIDTH", width).Parameter("FWIDTH", held).Parameter("AW", s.TapIndexAddressWidth).Parameter("FW", registers)
            .Parameter("HOLD", s.Config.ZeroSkipping ? 1 : 0).Parameter("FILE", VerilogLiteral.String(DesignFiles.TapIndexRom))
            .Connect("clk", "clk").Connect("rom_en", "i_en").Connect("rom_addr", "i_addr").Connect("rom_q", "i_rom").Connect("rf_re", "i_re")
            .Connect("rf_raddr", "i_raddr").Connect("rf_we", "i_we").Connect("rf_waddr", "i_waddr").Connect("rf_wdata", "i_rfw")
            .Connect("rf_q", "i_rfq"));
        int at = 0, heldAt = 0;
        foreach (TapIndexField field in TapIndexFields.All)
        {
            int bits = RtlWidths.Resolve(s, field.Width), kept = TapIndexFields.HeldBits(s, field);
            string rom = Slice("i_rom", at, bits), fromRegisters = VerilogLiteral.Sized(bits, 0);
            if (kept > 0)
            {
                module.Add(new VerilogAssign(Slice("i_rfw", heldAt, kept), Slice("i_rom", at, kept)));
                string word = Slice("i_rfq", heldAt, kept);
                fromRegisters = kept == bits ? word : $"{{{VerilogLiteral.Sized(bits - kept, 0)}, {word}}}";
            }

            module.Wire(field.Name, bits).Add(new VerilogAssign(field.Name, $"i_sel ? {fromRegisters} : {rom}"));
            core.Same(field.Name);
            at += bits;
            heldAt += kept;
        }
    }

    /// <summary>Bits [at + bits - 1 : at] of <paramref name="wire"/>.</summary>
    private static string Slice(string wire, int at, int bits) => $"{wire}[{at + bits - 1}:{at}]";

    private static VerilogInstance Core(Schedule s, IReadOnlyList<VerilogPort> table)
    {
        AcceleratorConfig c = s.Config;
        var core = new VerilogInstance(RtlLibrary.CoreModule(c.Dataflow), "u_core").Parameter("P", c.Parallel).Parameter("L", c.Lanes);
        foreach (RtlWidth width in RtlWidths.Core(c.Dataflow)) core.Parameter(width.Name, width.Value(s));
        return core.Parameter("GATING", c.ZeroGating ? 1 : 0)
            .Parameter("LAST_IN", VerilogLiteral.Sized(s.AddressWidth, s.InputSize - 1))
            .Parameter("IN_N", VerilogLiteral.Sized(s.BankAddressWidth, s.InputLayout.Positions))
            .Parameter("LAST_IN_N", VerilogLiteral.Sized(s.BankAddressWidth, s.InputLayout.Positions - 1))
            .Parameter("LAST_OUT", VerilogLiteral.Sized(s.OutputWidth, s.Outputs - 1))
            .Parameter("LAST_PASS", VerilogLiteral.Sized(s.PassWidth, s.Passes.Count - 1))
            .Same("clk", "rst", "s_axis_tdata", "s_axis_tvalid", "s_axis_tready", "s_axis_tlast",
                "m_axis_tdata", "m_axis_tvalid", "m_axis_tready", "m_axis_tlast", "frame_error", "pass")
            .Same([.. table.Select(t => t.Name)])
            .Same("b_en", "b_addr", "lane_x", "lane_ok", "pe_load", "acc_first", "acc_en", "pe_zero", "pe_acc", "pe_q");
    }

    /// <summary>
    /// The reducing half of a PE with its parameters, not yet connected: with an accumulator per lane
    /// (COLS) only where some pass's lanes are columns.
    /// </summary>
    internal static VerilogInstance PeInstance(Schedule s, string name) =>
        new VerilogInstance("potnet_pe", name)
            .Parameter("L", s.Config.Lanes).Parameter("ACC_W", s.AccumulatorWidth).Parameter("LW", RtlWidths.Resolve(s, "LW"))
            .Parameter("COLS", s.Passes.Any(p => p.Mapping == LaneMapping.Columns) ? 1 : 0);

    /// <summary>
    /// What the PEs' column-mode inputs connect to: the core's outputs (PE j's result latch enable is
    /// <see cref="Latch"/>(j)), or constants where the lanes are always taps.
    /// </summary>
    private sealed record ColumnControl(string Cols, string LaneEn, Func<int, string> Latch, string LatchLanes, string Sel);

    private static VerilogInstance Rom(string name, int width, int indexWidth, string file) =>
        new VerilogInstance("potnet_rom", name)
            .Parameter("WIDTH", width).Parameter("AW", indexWidth).Parameter("FILE", VerilogLiteral.String(file))
            .Connect("clk", "clk");

    private static VerilogInstance Lane(Schedule s, int pe, int lane)
    {
        AcceleratorConfig c = s.Config;
        int bits = s.Format.Bits, acc = s.AccumulatorWidth;
        return LaneInstance(c, s.Format, acc, $"u_pe{pe}_lane{lane}")
            .Connect("clk", "clk").Connect("en", $"pe_load[{pe}] && lane_ok[{lane}]")
            .Connect("x", $"lane_x[{(lane * 8) + 7}:{lane * 8}]").Connect("code", $"code{pe}[{(lane * bits) + bits - 1}:{lane * bits}]")
            .Connect("zero", $"pe_zero[{(pe * c.Lanes) + lane}]").Connect("p", $"prod{pe}[{(lane * acc) + acc - 1}:{lane * acc}]");
    }

    /// <summary>A lane of <paramref name="config"/>'s PE kind with its parameters, not yet connected.</summary>
    internal static VerilogInstance LaneInstance(AcceleratorConfig config, WeightFormat format, int accumulatorWidth, string name)
    {
        var instance = new VerilogInstance($"potnet_lane_{config.PeName}", name)
            .Parameter("B", format.Bits).Parameter("ACC_W", accumulatorWidth).Parameter("GATING", config.ZeroGating ? 1 : 0);
        if (config.Pe == PeKind.Mac) instance.Parameter("USE_DSP", config.Multiplier == MacMultiplier.Dsp ? 1 : 0);
        if (config.Pe == PeKind.Apot)
        {
            (int shiftWidth, int tableWidth, BigInteger terms) = ApotTerms((ApotFormat)format);
            instance.Parameter("SW", shiftWidth).Parameter("TERMS", VerilogLiteral.Sized(tableWidth, terms));
        }

        return instance;
    }

    /// <summary>The APoT lane's TERMS table: per magnitude index, {has0, shift0, has1, shift1} from <see cref="ApotFormat.Terms"/>.</summary>
    private static (int ShiftWidth, int TableWidth, BigInteger Terms) ApotTerms(ApotFormat format)
    {
        int shiftWidth = Schedule.Bits(format.MaxShift), entryWidth = 2 * (shiftWidth + 1), indices = 1 << (format.Bits - 1);
        BigInteger table = BigInteger.Zero;
        for (int index = 0; index < indices; index++)
        {
            (int shift0, int shift1) = format.Terms(index);
            long term0 = shift0 < 0 ? 0 : (1L << shiftWidth) | (uint)shift0;
            long term1 = shift1 < 0 ? 0 : (1L << shiftWidth) | (uint)shift1;
            table |= new BigInteger((term0 << (shiftWidth + 1)) | term1) << (index * entryWidth);
        }

        return (shiftWidth, indices * entryWidth, table);
    }
}
