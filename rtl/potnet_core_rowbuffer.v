// The layer-sequential control and data movement of a PotNet accelerator with the row-buffer
// dataflow. The generated top level connects it to the pass table and the PE array (lanes, PEs,
// per-lane weight ROMs and register files, parameter ROMs). Activations live in single-copy bank
// memories (P banks, the two ping-pong buffers their two halves, each value written once); each
// layer's input is read once from them into the row buffer (potnet_row_loader, potnet_row_buffer),
// from which the lanes read their taps; addresses come from counters (potnet_rb_address_unit).
//
// An inference: LOAD streams the image into buffer 0; per pass, before each output row (of each
// channel, for a pool) ROWS copies the input rows it needs into the row buffer (at least one cycle),
// then RUN issues one step per cycle for the row's positions (for each group of P output channels,
// for each step of L taps); DRAIN waits PIPE cycles after a pass's last step so that its writes land
// before the next pass reads; OUT streams the logits and then the class (argmax, lowest index on
// ties, tlast).
//
// Pipeline of a step issued in cycle t (I), as in potnet_core:
//   t+1 R: lane addresses (registered); row-buffer reads; weight ROM or register file reads
//   t+2 X: activations and codes at the lanes, which register them; a code read from the ROM at a
//          pass's first position is written into the lane's register file; parameter ROM read
//   t+3 M: products, adder tree, accumulator (bias on the first step); pool accumulator
//   t+4 W: on a group's last step, requantise and write (or store the logits)
// A row load in cycle t reads the bank memories (the byte arrives at t+1) and writes the row buffer
// at the end of t+1: the first step after the loads reads the row buffer at the end of its R (t+2
// or later), and the loads after a row begin after its last step's R.
module potnet_core_rowbuffer #(
    parameter P = 1,
    parameter L = 1,
    parameter ACC_W = 16,
    parameter AW = 1,
    parameter BW = 1,
    parameter BKW = 1,
    parameter DW = 2,
    parameter OW = 1,
    parameter PW = 1,
    parameter WIW = 1,
    parameter BIW = 1,
    parameter SW = 1,
    parameter GW = 1,
    parameter CW = 1,
    parameter POOL_W = 16,
    parameter XW = 1,
    parameter RBW = 1,
    parameter FIW = 1,
    parameter LGW = 1,
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
    output reg                 frame_error,
    // pass table
    output reg  [PW-1:0]       pass,
    input  wire [1:0]          kind,
    input  wire                src,
    input  wire [AW-1:0]       last_pos,
    input  wire [GW-1:0]       last_group,
    input  wire [SW-1:0]       last_step,
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
    input  wire [BW-1:0]       n_in,
    input  wire [BW-1:0]       n_out,
    input  wire [XW-1:0]       k_h,
    input  wire [XW-1:0]       k_w,
    input  wire [RBW-1:0]      rb_rows,
    input  wire [RBW-1:0]      rb_group,
    input  wire [RBW-1:0]      rb_w,
    input  wire [BW-1:0]       ld_row,
    input  wire [BW-1:0]       ld_last_col,
    input  wire [RBW-1:0]      slot_step,
    input  wire [LGW-1:0]      ld_last_group,
    input  wire [P-1:0]        ld_mask,
    input  wire                rf_on,
    input  wire [L-1:0]        last_lanes,
    input  wire [XW-1:0]       d_kx,
    input  wire [XW-1:0]       d_ky,
    input  wire [RBW-1:0]      d_kyw,
    input  wire [BKW-1:0]      d_bank,
    input  wire [RBW-1:0]      d_group,
    input  wire [L*XW-1:0]     lane_kx,
    input  wire [L*XW-1:0]     lane_ky,
    input  wire [L*RBW-1:0]    lane_kyw,
    input  wire [L*BKW-1:0]    lane_bank,
    input  wire [L*RBW-1:0]    lane_group,
    // per-lane weight ROMs and register files (one address each, an enable per lane of each PE)
    output wire [P*L-1:0]      w_en,
    output wire [WIW-1:0]      w_addr,
    output wire [P*L-1:0]      f_re,
    output wire [FIW-1:0]      f_raddr,
    output wire [P*L-1:0]      f_we,
    output wire [FIW-1:0]      f_waddr,
    output wire                f_sel,
    // parameter ROMs of the PEs
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
    localparam [2:0] ST_LOAD = 3'd0, ST_ROWS = 3'd1, ST_RUN = 3'd2, ST_DRAIN = 3'd3, ST_OUT = 3'd4;
    localparam [1:0] K_HIDDEN = 2'd0, K_LOGITS = 2'd1, K_MAX = 2'd2, K_AVG = 2'd3;
    localparam integer LAST_BANK_I = P - 1;
    localparam [BKW-1:0] LAST_BANK = LAST_BANK_I[BKW-1:0];

    reg [2:0] state = ST_LOAD;
    reg [1:0] drain = 2'd0;
    reg [AW-1:0] load_cnt = {AW{1'b0}};

    wire compute = !kind[1];
    wire pooling = kind == K_MAX || kind == K_AVG;

    // ---- issue (I) ----
    reg [SW-1:0]  s = {SW{1'b0}};
    reg [GW-1:0]  g = {GW{1'b0}};
    reg [AW-1:0]  p = {AW{1'b0}};
    reg [WIW-1:0] w_off = {WIW{1'b0}};
    reg [BIW-1:0] b_off = {BIW{1'b0}};
    reg [CW-1:0]  cob = {CW{1'b0}};

    wire active = state == ST_ROWS || state == ST_RUN;
    wire issue = state == ST_RUN;
    wire step_last = s == last_step;
    wire group_last = g == last_group;

    wire [DW-1:0]    top;
    wire             last_col, last_row;
    wire [BW-1:0]    wbase, cin;
    wire [BKW-1:0]   cbank;
    wire [L-1:0]     in_map;
    wire [L-1:0]     in_range;
    wire [L*BKW-1:0] rbank;
    wire [L*RBW-1:0] raddr;
    potnet_rb_address_unit #(.P(P), .L(L), .BW(BW), .BKW(BKW), .DW(DW), .XW(XW), .RBW(RBW)) u_addr (
        .clk(clk), .active(active), .issue(issue), .step_last(step_last), .group_last(group_last),
        .in_h(in_h), .in_w(in_w), .stride(stride), .pad(pad), .last_ox(last_ox), .last_oy(last_oy),
        .n_in(n_in), .n_out(n_out), .k_h(k_h), .k_w(k_w), .rb_rows(rb_rows), .rb_group(rb_group), .rb_w(rb_w),
        .slot_step(slot_step), .last_lanes(last_lanes), .d_kx(d_kx), .d_ky(d_ky), .d_kyw(d_kyw), .d_bank(d_bank),
        .d_group(d_group), .lane_kx(lane_kx), .lane_ky(lane_ky), .lane_kyw(lane_kyw), .lane_bank(lane_bank),
        .lane_group(lane_group), .top(top), .last_col(last_col), .last_row(last_row), .wbase(wbase), .cbank(cbank),
        .cin(cin), .in_range(in_range), .in_map(in_map), .rbank(rbank), .raddr(raddr));

    wire row_done = issue && step_last && group_last && last_col;
    wire pass_done = row_done && p == last_pos;

    localparam [CW-1:0] P_CW = P[CW-1:0];
    wire [P-1:0] pe_ok0;
    genvar j, l;
    generate
        for (j = 0; j < P; j = j + 1) begin : g_ok
            localparam [CW-1:0] J = j;
            assign pe_ok0[j] = cob + J < couts;
        end
    endgenerate

    // ---- pipeline tags: R (1), X (2), M (3), W (4) ----
    reg v1 = 1'b0, v2 = 1'b0, v3 = 1'b0, v4 = 1'b0;
    reg first1 = 1'b0, first2 = 1'b0, first3 = 1'b0;
    reg last1 = 1'b0, last2 = 1'b0, last3 = 1'b0, last4 = 1'b0;
    reg pos0_1 = 1'b0, pos0_2 = 1'b0;
    reg [P-1:0] ok1 = {P{1'b0}}, ok2 = {P{1'b0}}, ok3 = {P{1'b0}}, ok4 = {P{1'b0}};
    reg [WIW-1:0] w_off1 = {WIW{1'b0}};
    reg [FIW-1:0] f_off2 = {FIW{1'b0}};
    reg [BIW-1:0] b_off1 = {BIW{1'b0}}, b_off2 = {BIW{1'b0}};
    reg [BW-1:0] wb1 = {BW{1'b0}}, wb2 = {BW{1'b0}}, wb3 = {BW{1'b0}}, wb4 = {BW{1'b0}};
    reg [BKW-1:0] bk1 = {BKW{1'b0}}, bk2 = {BKW{1'b0}}, bk3 = {BKW{1'b0}}, bk4 = {BKW{1'b0}};
    reg [OW-1:0] lg1 = {OW{1'b0}}, lg2 = {OW{1'b0}}, lg3 = {OW{1'b0}}, lg4 = {OW{1'b0}};
    reg [L-1:0] lane_ok2 = {L{1'b0}};

    always @(posedge clk) begin
        if (rst) begin
            v1 <= 1'b0; v2 <= 1'b0; v3 <= 1'b0; v4 <= 1'b0;
        end else begin
            v1 <= issue; v2 <= v1; v3 <= v2; v4 <= v3;
        end
        first1 <= s == {SW{1'b0}}; first2 <= first1; first3 <= first2;
        last1 <= step_last; last2 <= last1; last3 <= last2; last4 <= last3;
        pos0_1 <= p == {AW{1'b0}}; pos0_2 <= pos0_1;
        ok1 <= pe_ok0; ok2 <= ok1; ok3 <= ok2; ok4 <= ok3;
        w_off1 <= w_off; f_off2 <= w_off1[FIW-1:0];
        b_off1 <= b_off; b_off2 <= b_off1;
        wb1 <= wbase; wb2 <= wb1; wb3 <= wb2; wb4 <= wb3;
        bk1 <= cbank; bk2 <= bk1; bk3 <= bk2; bk4 <= bk3;
        lg1 <= cob[OW-1:0]; lg2 <= lg1; lg3 <= lg2; lg4 <= lg3;
    end

    // ---- R: row-buffer reads; weight ROM reads (a pass's first position, or a layer that does not
    //      keep its weights) or register file reads (later positions) ----
    always @(posedge clk) begin
        if (v1) lane_ok2 <= in_range;
    end
    wire [L-1:0] re = {L{v1}} & in_map;
    wire from_rf1 = rf_on && !pos0_1;
    generate
        for (j = 0; j < P; j = j + 1) begin : g_weights
            for (l = 0; l < L; l = l + 1) begin : g_lane
                wire busy1 = v1 && compute && ok1[j] && in_range[l];
                assign w_en[j*L + l] = busy1 && !from_rf1;
                assign f_re[j*L + l] = busy1 && from_rf1;
                assign f_we[j*L + l] = v2 && compute && ok2[j] && lane_ok2[l] && rf_on && pos0_2;
            end
        end
    endgenerate
    assign w_addr = w_base + w_off1;
    assign f_raddr = w_off1[FIW-1:0];
    assign f_waddr = f_off2;
    assign f_sel = rf_on && !pos0_2;

    // ---- buffers ----
    // Every write of a cycle goes to one in-bank address: a weighted layer's PEs write bank j at
    // wb4, a pool writes its channel's bank at wb4, and the input stream (CHW) one bank at laddr.
    wire load_hs = state == ST_LOAD && s_axis_tvalid;
    reg [BW-1:0]  ln = {BW{1'b0}}, lcin = {BW{1'b0}};
    reg [BKW-1:0] lbank = {BKW{1'b0}};
    wire [BW-1:0] laddr = lcin + ln;
    wire [P-1:0] wr_en, load_en;
    wire [P*8-1:0] wr_data;
    wire [P-1:0] we = load_hs ? load_en : wr_en;
    wire whalf = !load_hs && !src;
    wire [BW-1:0] waddr = load_hs ? laddr : wb4;
    wire [P*8-1:0] wdata = load_hs ? {P{s_axis_tdata}} : wr_data;

    wire rows = state == ST_ROWS;
    wire ld_need, ld_last;
    wire [P-1:0] ld_re;
    wire [BW-1:0] ld_raddr;
    wire [RBW-1:0] ld_waddr;
    potnet_row_loader #(.P(P), .BW(BW), .BKW(BKW), .DW(DW), .XW(XW), .RBW(RBW), .LGW(LGW)) u_loader (
        .clk(clk), .restart(!active || (row_done && last_row)), .load(rows), .pooling(pooling), .top(top), .in_h(in_h),
        .k_h(k_h), .ld_last_group(ld_last_group), .ld_mask(ld_mask), .ld_row(ld_row), .ld_last_col(ld_last_col),
        .n_in(n_in), .cin(cin), .cbank(cbank), .rb_rows(rb_rows), .rb_group(rb_group), .rb_w(rb_w),
        .need(ld_need), .last(ld_last), .re(ld_re), .raddr(ld_raddr), .waddr(ld_waddr));

    wire [P*8-1:0] bank_q;
    generate
        for (j = 0; j < P; j = j + 1) begin : g_bank
            potnet_ram #(.AW(BW + 1)) u_ram (
                .clk(clk), .we(we[j]), .waddr({whalf, waddr}), .wdata(wdata[j*8 +: 8]),
                .re(ld_re[j]), .raddr({src, ld_raddr}), .q(bank_q[j*8 +: 8]));
        end
    endgenerate

    // The loaded bytes reach the row buffer one cycle after their reads.
    reg [P-1:0] rb_we = {P{1'b0}};
    reg [RBW-1:0] rb_waddr = {RBW{1'b0}};
    always @(posedge clk) begin
        rb_we <= ld_re;
        rb_waddr <= ld_waddr;
    end
    potnet_row_buffer #(.P(P), .L(L), .RBW(RBW), .BKW(BKW)) u_rows (
        .clk(clk), .we(rb_we), .waddr(rb_waddr), .wdata(bank_q), .re(re), .rbank(rbank), .raddr(raddr), .rdata(lane_x));

    // ---- X: lanes register their operands; parameter ROM read on a group's first step ----
    assign lane_ok = lane_ok2;
    assign pe_load = {P{v2 && compute}} & ok2;
    assign b_en = {P{v2 && compute && first2}} & ok2;
    assign b_addr = b_base + b_off2;

    // ---- M: accumulate ----
    assign acc_first = first3;
    assign acc_en = {P{v3 && compute}} & ok3;
    wire [7:0] pool_q;
    potnet_pool #(.L(L), .W(POOL_W)) u_pool (
        .clk(clk), .load(v2 && pooling), .x(lane_x), .update(v3 && pooling), .first(first3),
        .average(kind == K_AVG), .shift(pool_shift), .q(pool_q));

    // ---- W: write results ----
    wire wv = v4 && last4;
    reg [ACC_W-1:0] logits [0:(1 << OW) - 1];
    generate
        for (j = 0; j < P; j = j + 1) begin : g_write
            localparam [BKW-1:0] JB = j;
            // Logit index group*P + j; PEs past the logits (j mod 2^OW wraps) never write one.
            localparam integer JO_I = j % (1 << OW);
            localparam [OW-1:0] JO = JO_I[OW-1:0];
            assign wr_en[j] = wv && (kind == K_HIDDEN ? ok4[j] : pooling && bk4 == JB);
            assign wr_data[j*8 +: 8] = pooling ? pool_q : pe_q[j*8 +: 8];
            assign load_en[j] = lbank == JB;
            always @(posedge clk) begin
                if (wv && kind == K_LOGITS && ok4[j]) logits[lg4 + JO] <= pe_acc[j*ACC_W +: ACC_W];
            end
        end
    endgenerate

    // ---- output stream: the logits, then the class ----
    reg [OW-1:0] o = {OW{1'b0}};
    reg cls = 1'b0;
    reg [OW-1:0] best = {OW{1'b0}};
    reg [ACC_W-1:0] best_value = {ACC_W{1'b0}};
    wire [ACC_W-1:0] logit = logits[o];
    wire out_hs = state == ST_OUT && m_axis_tready;
    wire better = o == {OW{1'b0}} || $signed(logit) > $signed(best_value);
    wire [31:0] logit32;
    generate
        if (ACC_W < 32) begin : g_extend
            assign logit32 = {{(32-ACC_W){logit[ACC_W-1]}}, logit};
        end else begin : g_same
            assign logit32 = logit;
        end
    endgenerate
    assign m_axis_tvalid = state == ST_OUT;
    assign m_axis_tlast = cls;
    assign m_axis_tdata = cls ? {{(32-OW){1'b0}}, best} : logit32;
    assign s_axis_tready = state == ST_LOAD;

    // ---- control ----
    always @(posedge clk) begin
        if (rst) begin
            state <= ST_LOAD;
            load_cnt <= {AW{1'b0}};
            ln <= {BW{1'b0}}; lbank <= {BKW{1'b0}}; lcin <= {BW{1'b0}};
            frame_error <= 1'b0;
            pass <= {PW{1'b0}};
        end else begin
            case (state)
                ST_LOAD: if (load_hs) begin
                    if (s_axis_tlast != (load_cnt == LAST_IN)) frame_error <= 1'b1;
                    if (load_cnt == LAST_IN) begin
                        load_cnt <= {AW{1'b0}};
                        ln <= {BW{1'b0}}; lbank <= {BKW{1'b0}}; lcin <= {BW{1'b0}};
                        state <= ST_ROWS;
                        pass <= {PW{1'b0}};
                    end else begin
                        load_cnt <= load_cnt + 1'b1;
                        if (ln != LAST_IN_N) begin
                            ln <= ln + 1'b1;
                        end else begin
                            ln <= {BW{1'b0}};
                            lbank <= lbank == LAST_BANK ? {BKW{1'b0}} : lbank + 1'b1;
                            if (lbank == LAST_BANK) lcin <= lcin + IN_N;
                        end
                    end
                end
                ST_ROWS: if (!ld_need || ld_last) state <= ST_RUN;
                ST_RUN: if (pass_done) begin
                    state <= ST_DRAIN;
                    drain <= 2'd3;
                end else if (row_done) begin
                    state <= ST_ROWS;
                end
                ST_DRAIN: if (drain != 2'd0) begin
                    drain <= drain - 2'd1;
                end else if (pass == LAST_PASS) begin
                    state <= ST_OUT;
                end else begin
                    pass <= pass + 1'b1;
                    state <= ST_ROWS;
                end
                default: if (out_hs) begin
                    if (cls) state <= ST_LOAD;
                end
            endcase
        end
    end

    // Issue counters: they rest at zero outside a pass and hold while the row loads run.
    always @(posedge clk) begin
        if (!active) begin
            s <= {SW{1'b0}}; g <= {GW{1'b0}}; p <= {AW{1'b0}};
            w_off <= {WIW{1'b0}}; b_off <= {BIW{1'b0}}; cob <= {CW{1'b0}};
        end else if (!issue) begin
            s <= s;
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

    // Output index and argmax.
    always @(posedge clk) begin
        if (state != ST_OUT) begin
            o <= {OW{1'b0}};
            cls <= 1'b0;
        end else if (out_hs && !cls) begin
            if (better) begin
                best <= o;
                best_value <= logit;
            end
            if (o == LAST_OUT) cls <= 1'b1;
            else o <= o + 1'b1;
        end
    end

`ifndef SYNTHESIS
    // Event counters, for verification and the energy model only: excluded from synthesis.
    reg [63:0] ev_cycles = 64'd0, ev_pe_ops = 64'd0, ev_gated_ops = 64'd0, ev_acc_updates = 64'd0;
    reg [63:0] ev_weight_rom_reads = 64'd0, ev_param_rom_reads = 64'd0;
    reg [63:0] ev_act_reads = 64'd0, ev_act_writes = 64'd0, ev_requantizations = 64'd0;
    reg [63:0] ev_pool_updates = 64'd0, ev_logit_writes = 64'd0;
    reg [63:0] ev_weight_rf_reads = 64'd0, ev_weight_rf_writes = 64'd0, ev_row_buffer_reads = 64'd0, ev_row_buffer_writes = 64'd0;
    reg [31:0] n_ops, n_gated, n_reads, n_wrom, n_prom, n_acc, n_writes, n_logits, n_frd, n_fwr, n_loads, n_rbw;
    integer a, b;
    always @* begin
        n_ops = 32'd0; n_gated = 32'd0; n_reads = 32'd0; n_wrom = 32'd0; n_frd = 32'd0; n_fwr = 32'd0;
        n_prom = 32'd0; n_acc = 32'd0; n_writes = 32'd0; n_logits = 32'd0; n_loads = 32'd0; n_rbw = 32'd0;
        for (a = 0; a < P; a = a + 1) begin
            for (b = 0; b < L; b = b + 1) begin
                if (pe_load[a] && lane_ok[b]) begin
                    if (GATING != 0 && pe_zero[a*L + b]) n_gated = n_gated + 32'd1;
                    else n_ops = n_ops + 32'd1;
                end
                if (w_en[a*L + b]) n_wrom = n_wrom + 32'd1;
                if (f_re[a*L + b]) n_frd = n_frd + 32'd1;
                if (f_we[a*L + b]) n_fwr = n_fwr + 32'd1;
            end
            if (b_en[a]) n_prom = n_prom + 32'd1;
            if (acc_en[a]) n_acc = n_acc + 32'd1;
            if (wr_en[a]) n_writes = n_writes + 32'd1;
            if (wv && kind == K_LOGITS && ok4[a]) n_logits = n_logits + 32'd1;
            if (ld_re[a]) n_loads = n_loads + 32'd1;
            if (rb_we[a]) n_rbw = n_rbw + 32'd1;
        end
        for (b = 0; b < L; b = b + 1) begin
            if (re[b]) n_reads = n_reads + 32'd1;
        end
    end
    wire counting = state != ST_LOAD || load_cnt != {AW{1'b0}} || load_hs;
    always @(posedge clk) begin
        if (rst) begin
            ev_cycles <= 64'd0; ev_pe_ops <= 64'd0; ev_gated_ops <= 64'd0; ev_acc_updates <= 64'd0;
            ev_weight_rom_reads <= 64'd0; ev_param_rom_reads <= 64'd0;
            ev_act_reads <= 64'd0; ev_act_writes <= 64'd0; ev_requantizations <= 64'd0;
            ev_pool_updates <= 64'd0; ev_logit_writes <= 64'd0;
            ev_weight_rf_reads <= 64'd0; ev_weight_rf_writes <= 64'd0; ev_row_buffer_reads <= 64'd0; ev_row_buffer_writes <= 64'd0;
        end else begin
            if (counting) ev_cycles <= ev_cycles + 64'd1;
            ev_pe_ops <= ev_pe_ops + {32'd0, n_ops};
            ev_gated_ops <= ev_gated_ops + {32'd0, n_gated};
            ev_acc_updates <= ev_acc_updates + {32'd0, n_acc};
            ev_weight_rom_reads <= ev_weight_rom_reads + {32'd0, n_wrom};
            ev_param_rom_reads <= ev_param_rom_reads + {32'd0, n_prom};
            ev_act_reads <= ev_act_reads + {32'd0, n_loads};
            // One copy per bank: each write is written once.
            ev_act_writes <= ev_act_writes + {32'd0, n_writes} + (load_hs ? 64'd1 : 64'd0);
            if (wv && kind == K_HIDDEN) ev_requantizations <= ev_requantizations + {32'd0, n_writes};
            if (v3 && pooling) ev_pool_updates <= ev_pool_updates + 64'd1;
            ev_logit_writes <= ev_logit_writes + {32'd0, n_logits};
            ev_weight_rf_reads <= ev_weight_rf_reads + {32'd0, n_frd};
            ev_weight_rf_writes <= ev_weight_rf_writes + {32'd0, n_fwr};
            ev_row_buffer_reads <= ev_row_buffer_reads + {32'd0, n_reads};
            ev_row_buffer_writes <= ev_row_buffer_writes + {32'd0, n_rbw};
        end
    end
`endif
endmodule
