// The layer-sequential control and data movement of a PotNet accelerator. The generated top
// level connects it to the pass table, the tap ROM and the PE array (lanes, PEs, weight and
// parameter ROMs), all of which depend on the network. Addresses come from the address unit
// (counters and the tap table); the two activation buffers are banked by channel (see
// potnet_act_buffer), so each physical memory has one write and one read port.
//
// An inference: LOAD streams the image into buffer 0; RUN issues one step per cycle for each pass
// (for each output position, for each group of P output channels, for each step of L taps);
// DRAIN waits PIPE cycles after a pass's last step so that its writes land before the next pass
// reads; OUT streams the logits and then the class (argmax, lowest index on ties, tlast).
//
// Pipeline of a step issued in cycle t (I):
//   t+1 R: tap word from the ROM, lane addresses; activation reads; weight ROM reads
//   t+2 X: activations and codes at the lanes, which register them; parameter ROM read (first step)
//   t+3 M: products, adder tree, accumulator (bias on the first step); pool accumulator
//   t+4 W: on a group's last step, requantise and write (or store the logits)
module potnet_core #(
    parameter P = 1,
    parameter L = 1,
    parameter ACC_W = 16,
    parameter AW = 1,
    parameter BW = 1,
    parameter BKW = 1,
    parameter DW = 2,
    parameter KW = 1,
    parameter OW = 1,
    parameter PW = 1,
    parameter TIW = 1,
    parameter WIW = 1,
    parameter BIW = 1,
    parameter SW = 1,
    parameter GW = 1,
    parameter CW = 1,
    parameter POOL_W = 16,
    parameter GATING = 1,
    parameter [AW-1:0] LAST_IN = 0,
    parameter [BW-1:0] IN_N = 1,
    parameter [BW-1:0] LAST_IN_N = 0,
    parameter [OW-1:0] LAST_OUT = 0,
    parameter [PW-1:0] LAST_PASS = 0
) (
    input  wire                clk,
    input  wire                rst,
    input  wire [7:0]          s_axis_tdata,
    input  wire                s_axis_tvalid,
    output wire                s_axis_tready,
    input  wire                s_axis_tlast,
    output wire [31:0]         m_axis_tdata,
    output wire                m_axis_tvalid,
    input  wire                m_axis_tready,
    output wire                m_axis_tlast,
    output wire                frame_error,
    // pass table
    output reg  [PW-1:0]       pass,
    input  wire [1:0]          kind,
    input  wire                src,
    input  wire [AW-1:0]       last_pos,
    input  wire [GW-1:0]       last_group,
    input  wire [SW-1:0]       last_step,
    input  wire [TIW-1:0]      t_base,
    input  wire [WIW-1:0]      w_base,
    input  wire [BIW-1:0]      b_base,
    input  wire [CW-1:0]       couts,
    input  wire [7:0]          pool_shift,
    input  wire [DW-1:0]       in_h,
    input  wire [DW-1:0]       in_w,
    input  wire [DW-1:0]       stride,
    input  wire [DW-1:0]       pad,
    input  wire [DW-1:0]       last_ox,
    input  wire [DW-1:0]       last_oy,
    input  wire [BW-1:0]       col_step,
    input  wire [BW-1:0]       row_step,
    input  wire [BW-1:0]       n_in,
    input  wire [BW-1:0]       n_out,
    // tap ROM: per lane {valid, ky, kx, bank, offset}
    output wire                t_en,
    output wire [TIW-1:0]      t_addr,
    input  wire [L*(1+2*KW+BKW+BW)-1:0] t_word,
    // weight and parameter ROMs of the PEs (one address, an enable per PE)
    output wire [P-1:0]        w_en,
    output wire [WIW-1:0]      w_addr,
    output wire [P-1:0]        b_en,
    output wire [BIW-1:0]      b_addr,
    // PE array
    output wire [L*8-1:0]      lane_x,
    output wire [L-1:0]        lane_ok,
    output wire [P-1:0]        pe_load,
    output wire                acc_first,
    output wire [P-1:0]        acc_en,
    input  wire [P*L-1:0]      pe_zero,
    input  wire [P*ACC_W-1:0]  pe_acc,
    input  wire [P*8-1:0]      pe_q
);
    localparam [1:0] ST_LOAD = 2'd0, ST_RUN = 2'd1, ST_DRAIN = 2'd2, ST_OUT = 2'd3;
    localparam [1:0] K_HIDDEN = 2'd0, K_MAX = 2'd2, K_AVG = 2'd3;

    reg [1:0] state = ST_LOAD;
    reg [1:0] drain = 2'd0;

    wire compute = !kind[1];
    wire pooling = kind == K_MAX || kind == K_AVG;

    // ---- issue (I) ----
    reg [SW-1:0]  s = {SW{1'b0}};
    reg [GW-1:0]  g = {GW{1'b0}};
    reg [AW-1:0]  p = {AW{1'b0}};
    reg [WIW-1:0] w_off = {WIW{1'b0}};
    reg [BIW-1:0] b_off = {BIW{1'b0}};
    reg [CW-1:0]  cob = {CW{1'b0}};

    wire issue = state == ST_RUN;
    wire step_last = s == last_step;
    wire group_last = g == last_group;
    wire pass_done = step_last && group_last && p == last_pos;
    assign t_en = issue;

    wire [BW-1:0]    wbase;
    wire [BKW-1:0]   cbank;
    wire [L-1:0]     in_map;
    wire [L-1:0]     in_range;
    wire [L*BKW-1:0] rbank;
    wire [L*BW-1:0]  raddr;
    potnet_address_unit #(.P(P), .L(L), .BW(BW), .BKW(BKW), .DW(DW), .KW(KW), .TIW(TIW)) u_addr (
        .clk(clk), .issue(issue), .step_last(step_last), .group_last(group_last),
        .t_base(t_base), .in_h(in_h), .in_w(in_w), .stride(stride), .pad(pad), .last_ox(last_ox), .last_oy(last_oy),
        .col_step(col_step), .row_step(row_step), .n_in(n_in), .n_out(n_out),
        .t_addr(t_addr), .wbase(wbase), .cbank(cbank), .t_word(t_word),
        .in_range(in_range), .in_map(in_map), .rbank(rbank), .raddr(raddr));

    localparam [CW-1:0] P_CW = P[CW-1:0];
    wire [P-1:0] pe_ok0;
    genvar j;
    generate
        for (j = 0; j < P; j = j + 1) begin : g_ok
            localparam [CW-1:0] J = j;
            assign pe_ok0[j] = cob + J < couts;
        end
    endgenerate

    // ---- R, X, M, W and the output stream (potnet_step_pipeline) ----
    reg [WIW-1:0] w_off1 = {WIW{1'b0}};
    wire v1, v3, wv;
    wire [P-1:0] ok1, wr_en, logit_we;
    wire [BW-1:0] wr_addr;
    wire [P*8-1:0] wr_data;
    wire out_done;
    potnet_step_pipeline #(.P(P), .L(L), .ACC_W(ACC_W), .BW(BW), .BKW(BKW), .BIW(BIW), .OW(OW), .POOL_W(POOL_W), .LAST_OUT(LAST_OUT)) u_steps (
        .clk(clk), .rst(rst), .issue(issue), .first(s == {SW{1'b0}}), .step_last(step_last), .pe_ok(pe_ok0), .b_off(b_off),
        .wbase(wbase), .cbank(cbank), .logit_base(cob[OW-1:0]), .in_range(in_range), .kind(kind), .b_base(b_base),
        .pool_shift(pool_shift), .v1(v1), .v3(v3), .ok1(ok1), .wv(wv), .lane_x(lane_x), .lane_ok(lane_ok),
        .pe_load(pe_load), .b_en(b_en), .b_addr(b_addr), .acc_first(acc_first), .acc_en(acc_en), .pe_acc(pe_acc), .pe_q(pe_q),
        .wr_en(wr_en), .wr_addr(wr_addr), .wr_data(wr_data), .logit_we(logit_we), .out_valid(state == ST_OUT),
        .m_axis_tdata(m_axis_tdata), .m_axis_tvalid(m_axis_tvalid), .m_axis_tready(m_axis_tready), .m_axis_tlast(m_axis_tlast),
        .done(out_done));

    // ---- R: activation reads and weight ROM reads ----
    always @(posedge clk) w_off1 <= w_off;
    wire [L-1:0] re = {L{v1}} & in_map;
    assign w_addr = w_base + w_off1;
    assign w_en = {P{v1 && compute}} & ok1;

    // ---- buffers ----
    // Every write of a cycle goes to one in-bank address: a weighted layer's PEs write bank j at
    // wb4, a pool writes its channel's bank at wb4, and the input stream (CHW) one bank at laddr.
    wire load_hs, load_done, load_started;
    wire [P-1:0] load_en;
    wire [BW-1:0] laddr;
    potnet_input_load #(.P(P), .AW(AW), .BW(BW), .BKW(BKW), .LAST_IN(LAST_IN), .IN_N(IN_N), .LAST_IN_N(LAST_IN_N)) u_input (
        .clk(clk), .rst(rst), .loading(state == ST_LOAD), .s_axis_tvalid(s_axis_tvalid), .s_axis_tlast(s_axis_tlast),
        .hs(load_hs), .done(load_done), .started(load_started), .frame_error(frame_error), .bank_en(load_en), .addr(laddr));
    potnet_act_buffer #(.P(P), .L(L), .BW(BW), .BKW(BKW)) u_buffers (
        .clk(clk), .re(re), .rhalf(src), .rbank(rbank), .raddr(raddr), .rdata(lane_x),
        .we(load_hs ? load_en : wr_en), .whalf(!load_hs && !src), .waddr(load_hs ? laddr : wr_addr),
        .wdata(load_hs ? {P{s_axis_tdata}} : wr_data));
    assign s_axis_tready = state == ST_LOAD;

    // ---- control ----
    always @(posedge clk) begin
        if (rst) begin
            state <= ST_LOAD;
            pass <= {PW{1'b0}};
        end else begin
            case (state)
                ST_LOAD: if (load_done) begin
                    state <= ST_RUN;
                    pass <= {PW{1'b0}};
                end
                ST_RUN: if (pass_done) begin
                    state <= ST_DRAIN;
                    drain <= 2'd3;
                end
                ST_DRAIN: if (drain != 2'd0) begin
                    drain <= drain - 2'd1;
                end else if (pass == LAST_PASS) begin
                    state <= ST_OUT;
                end else begin
                    pass <= pass + 1'b1;
                    state <= ST_RUN;
                end
                default: if (out_done) state <= ST_LOAD;
            endcase
        end
    end

    // Issue counters: they rest at zero outside RUN, so each pass starts from zero.
    always @(posedge clk) begin
        if (!issue) begin
            s <= {SW{1'b0}}; g <= {GW{1'b0}}; p <= {AW{1'b0}};
            w_off <= {WIW{1'b0}}; b_off <= {BIW{1'b0}}; cob <= {CW{1'b0}};
        end else if (!step_last) begin
            s <= s + 1'b1;
            w_off <= w_off + 1'b1;
        end else if (!group_last) begin
            s <= {SW{1'b0}};
            g <= g + 1'b1;
            w_off <= w_off + 1'b1;
            b_off <= b_off + 1'b1;
            cob <= cob + P_CW;
        end else begin
            s <= {SW{1'b0}};
            g <= {GW{1'b0}};
            p <= p + 1'b1;
            w_off <= {WIW{1'b0}};
            b_off <= {BIW{1'b0}};
            cob <= {CW{1'b0}};
        end
    end

`ifndef SYNTHESIS
    // Event counters, for verification and the energy model only: excluded from synthesis.
    reg [63:0] ev_cycles = 64'd0, ev_pe_ops = 64'd0, ev_gated_ops = 64'd0, ev_acc_updates = 64'd0;
    reg [63:0] ev_weight_rom_reads = 64'd0, ev_param_rom_reads = 64'd0, ev_tap_rom_reads = 64'd0;
    reg [63:0] ev_act_reads = 64'd0, ev_act_writes = 64'd0, ev_requantizations = 64'd0;
    reg [63:0] ev_pool_updates = 64'd0, ev_logit_writes = 64'd0;
    reg [31:0] n_ops, n_gated, n_reads, n_wrom, n_prom, n_acc, n_writes, n_logits;
    localparam [63:0] COPIES = L;
    integer a, b;
    always @* begin
        n_ops = 32'd0; n_gated = 32'd0; n_reads = 32'd0; n_wrom = 32'd0;
        n_prom = 32'd0; n_acc = 32'd0; n_writes = 32'd0; n_logits = 32'd0;
        for (a = 0; a < P; a = a + 1) begin
            for (b = 0; b < L; b = b + 1) begin
                if (pe_load[a] && lane_ok[b]) begin
                    if (GATING != 0 && pe_zero[a*L + b]) n_gated = n_gated + 32'd1;
                    else n_ops = n_ops + 32'd1;
                end
            end
            if (w_en[a]) n_wrom = n_wrom + 32'd1;
            if (b_en[a]) n_prom = n_prom + 32'd1;
            if (acc_en[a]) n_acc = n_acc + 32'd1;
            if (wr_en[a]) n_writes = n_writes + 32'd1;
            if (logit_we[a]) n_logits = n_logits + 32'd1;
        end
        for (b = 0; b < L; b = b + 1) begin
            if (re[b]) n_reads = n_reads + 32'd1;
        end
    end
    wire counting = state != ST_LOAD || load_started || load_hs;
    always @(posedge clk) begin
        if (rst) begin
            ev_cycles <= 64'd0; ev_pe_ops <= 64'd0; ev_gated_ops <= 64'd0; ev_acc_updates <= 64'd0;
            ev_weight_rom_reads <= 64'd0; ev_param_rom_reads <= 64'd0; ev_tap_rom_reads <= 64'd0;
            ev_act_reads <= 64'd0; ev_act_writes <= 64'd0; ev_requantizations <= 64'd0;
            ev_pool_updates <= 64'd0; ev_logit_writes <= 64'd0;
        end else begin
            if (counting) ev_cycles <= ev_cycles + 64'd1;
            ev_pe_ops <= ev_pe_ops + {32'd0, n_ops};
            ev_gated_ops <= ev_gated_ops + {32'd0, n_gated};
            ev_acc_updates <= ev_acc_updates + {32'd0, n_acc};
            ev_weight_rom_reads <= ev_weight_rom_reads + {32'd0, n_wrom};
            ev_param_rom_reads <= ev_param_rom_reads + {32'd0, n_prom};
            if (t_en) ev_tap_rom_reads <= ev_tap_rom_reads + 64'd1;
            ev_act_reads <= ev_act_reads + {32'd0, n_reads};
            // Each write reaches its bank's L copies.
            ev_act_writes <= ev_act_writes + ({32'd0, n_writes} + (load_hs ? 64'd1 : 64'd0)) * COPIES;
            if (wv && kind == K_HIDDEN) ev_requantizations <= ev_requantizations + {32'd0, n_writes};
            if (v3 && pooling) ev_pool_updates <= ev_pool_updates + 64'd1;
            ev_logit_writes <= ev_logit_writes + {32'd0, n_logits};
        end
    end
`endif
endmodule
