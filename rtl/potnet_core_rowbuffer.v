// The layer-sequential control and data movement of a PotNet accelerator with the row-buffer
// dataflow. The generated top level connects it to the pass table and the PE array (lanes, PEs,
// per-lane weight ROMs, per-PE broadcast weight ROMs and register files, parameter ROMs). Activations live in single-copy bank
// memories (P banks, the two ping-pong buffers their two halves, each value written once); each
// layer's input is read once from them into the row buffer (potnet_row_loader, potnet_row_buffer),
// from which the lanes read their taps; addresses come from counters (potnet_rb_address_unit).
//
// An inference: LOAD streams the image into buffer 0; per pass, before each output row (of each
// channel, for a pool) ROWS copies the input rows it needs into the row buffer (at least one cycle;
// with a max pool fused into the pass, each pooled element the maximum of its window, one cycle per
// window element: potnet_row_loader),
// then RUN issues one step per cycle for the row's issue positions (for each group of P output
// channels, for each step); DRAIN waits PIPE cycles (PIPE + L where the lanes are columns) after a
// pass's last step so that its writes land before the next pass reads; OUT streams the logits and then the class (argmax, lowest index on
// ties, tlast).
//
// Pipeline of a step issued in cycle t (I), as in potnet_core:
//   t+1 R: lane addresses (registered); row-buffer reads; weight ROM or register file reads
//   t+2 X: activations and codes at the lanes, which register them; a code read from the ROM at a
//          pass's first position is written into the lane's register file; parameter ROM read
//   t+3 M: products, adder tree, accumulator (bias on the first step); pool accumulator
//   t+4 W: on a group's last step, requantise and write (or store the logits); where the lanes are
//          columns, every lane requantises into its PE's result registers, and the drain writes one
//          lane's results per cycle in the L cycles after while the next group runs; a group's last
//          step issues at least L cycles after the previous group's, so that the drains never overlap
//          (potnet_column_drain)
// Where the lanes are columns (cols), a step is one tap (c, ky, kx) of L adjacent output columns:
// every PE reads one code (its broadcast ROM at the pass's first tile, else its register file) for
// all its lanes, and each lane accumulates its own output.
// A zero-skipping pass (skip) issues only its groups' steps whose codes are not all zero: each step's
// tap index word (the digits of its first tap, and whether it is its group's last step) is read one
// cycle ahead (at every issue but the pass's last for the next step, and at the pass's first cycle
// for its first), at the step's offset in the position (the weight ROMs' offset): from the tap index
// ROM at i_base plus the offset, or, at the later positions of a pass that holds its weights (rf_on),
// from the tap index register file, which the ROM's words fill at the pass's first position.
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
    parameter PKW = 1,
    parameter LW = 1,
    parameter IIW = 1,
    parameter TXW = 1,
    parameter TYW = 1,
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
    input  wire [RBW-1:0]      rb_kw,
    input  wire [RBW-1:0]      rb_top,
    input  wire [RBW-1:0]      rb_group,
    input  wire [RBW-1:0]      rb_w,
    input  wire [BW-1:0]       ld_row,
    input  wire [BW-1:0]       ld_last_col,
    input  wire [PKW-1:0]      ld_pool_last,
    input  wire [BW-1:0]       ld_src_w,
    input  wire [BW-1:0]       ld_last_cx,
    input  wire [RBW-1:0]      slot_step,
    input  wire [LGW-1:0]      ld_last_group,
    input  wire [P-1:0]        ld_mask,
    input  wire                rf_on,
    input  wire [L-1:0]        last_lanes,
    input  wire                cols,
    input  wire [DW-1:0]       ox_step,
    input  wire [BW-1:0]       last_cols,
    input  wire [L-1:0]        tile_lanes,
    input  wire [L*DW-1:0]     lane_col,
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
    input  wire                skip,
    input  wire [IIW-1:0]      i_base,
    // the tap index ROM and register file, and its word's fields
    output wire                i_en,
    output wire [IIW-1:0]      i_addr,
    output wire                i_re,
    output wire [FIW-1:0]      i_raddr,
    output reg                 i_we,
    output reg  [FIW-1:0]      i_waddr,
    output reg                 i_sel,
    input  wire [TXW-1:0]      ti_kx,
    input  wire [TYW-1:0]      ti_ky,
    input  wire [BKW-1:0]      ti_bank,
    input  wire [LGW-1:0]      ti_group,
    input  wire                ti_last,
    input  wire                ti_tail,
    // per-lane weight ROMs (an enable per lane of each PE), per-PE broadcast weight ROMs and register
    // files (an enable per PE); one address for all
    output wire [P*L-1:0]      w_en,
    output wire [WIW-1:0]      w_addr,
    output wire [P-1:0]        p_en,
    output wire [P-1:0]        f_re,
    output wire [FIW-1:0]      f_raddr,
    output wire [P-1:0]        f_we,
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
    output reg  [L-1:0]        lane_acc,
    output wire [LW-1:0]       res_sel,
    output wire [P-1:0]        res_latch,
    output wire [L-1:0]        res_lanes,
    input  wire [P*L-1:0]      pe_zero,
    input  wire [P*ACC_W-1:0]  pe_acc,
    input  wire [P*8-1:0]      pe_q
);
    localparam [2:0] ST_LOAD = 3'd0, ST_ROWS = 3'd1, ST_RUN = 3'd2, ST_DRAIN = 3'd3, ST_OUT = 3'd4;
    localparam [1:0] K_HIDDEN = 2'd0, K_MAX = 2'd2, K_AVG = 2'd3;

    // DRAIN's count: PIPE - 1 cycles, and L more where the lanes are columns.
    localparam integer DRW = $clog2(L + 4) + 1;
    localparam [DRW-1:0] DRAIN_TAPS = 3, DRAIN_COLS = 3 + L;
    reg [2:0] state = ST_LOAD;
    reg [DRW-1:0] drain = {DRW{1'b0}};

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
    wire load_hs, load_done, load_started;
    // A pass's first cycle (ROWS, the pass table already the new pass's).
    reg fresh = 1'b0;
    always @(posedge clk) fresh <= !rst && ((state == ST_LOAD && load_done) || (state == ST_DRAIN && drain == {DRW{1'b0}} && pass != LAST_PASS));
    wire step_last = skip ? ti_last : s == last_step;
    // A column pass's group's last step waits until the previous group's drain will be done by its W.
    wire drain_ready;
    wire issue = state == ST_RUN && (!cols || !step_last || drain_ready);
    wire group_last = g == last_group;

    wire [DW-1:0]    top;
    wire             last_col, last_row;
    wire [BW-1:0]    wbase, cin;
    wire [BKW-1:0]   cbank;
    wire [L-1:0]     in_map;
    wire [L-1:0]     in_range;
    wire [L*BKW-1:0] rbank;
    wire [L*RBW-1:0] raddr;
    potnet_rb_address_unit #(.P(P), .L(L), .BW(BW), .BKW(BKW), .DW(DW), .XW(XW), .RBW(RBW), .TXW(TXW), .TYW(TYW), .LGW(LGW)) u_addr (
        .clk(clk), .active(active), .start(fresh), .issue(issue), .waiting(state == ST_RUN && !issue), .step_last(step_last),
        .group_last(group_last), .cols(cols), .ox_step(ox_step), .last_cols(last_cols), .tile_lanes(tile_lanes), .lane_col(lane_col),
        .in_h(in_h), .in_w(in_w), .stride(stride), .pad(pad), .last_ox(last_ox), .last_oy(last_oy),
        .n_in(n_in), .n_out(n_out), .k_h(k_h), .k_w(k_w), .rb_rows(rb_rows), .rb_kw(rb_kw), .rb_top(rb_top), .rb_group(rb_group), .rb_w(rb_w),
        .slot_step(slot_step), .last_lanes(last_lanes), .d_kx(d_kx), .d_ky(d_ky), .d_kyw(d_kyw), .d_bank(d_bank),
        .d_group(d_group), .lane_kx(lane_kx), .lane_ky(lane_ky), .lane_kyw(lane_kyw), .lane_bank(lane_bank),
        .lane_group(lane_group), .skip(skip), .ti_tail(ti_tail), .ti_kx(ti_kx), .ti_ky(ti_ky),
        .ti_bank(ti_bank), .ti_group(ti_group), .top(top), .last_col(last_col), .last_row(last_row), .wbase(wbase), .cbank(cbank),
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

    // ---- R, X, M, W and the output stream (potnet_step_pipeline) ----
    wire v1, v3, wv;
    wire [P-1:0] ok1, step_wr_en, logit_we;
    wire [BW-1:0] step_wr_addr;
    wire [P*8-1:0] wr_data;
    wire out_done;
    potnet_step_pipeline #(.P(P), .L(L), .ACC_W(ACC_W), .BW(BW), .BKW(BKW), .BIW(BIW), .OW(OW), .POOL_W(POOL_W), .LAST_OUT(LAST_OUT)) u_steps (
        .clk(clk), .rst(rst), .issue(issue), .first(s == {SW{1'b0}}), .step_last(step_last), .pe_ok(pe_ok0), .b_off(b_off),
        .wbase(wbase), .cbank(cbank), .logit_base(cob[OW-1:0]), .in_range(in_range), .kind(kind), .b_base(b_base),
        .pool_shift(pool_shift), .v1(v1), .v3(v3), .ok1(ok1), .wv(wv), .lane_x(lane_x), .lane_ok(lane_ok),
        .pe_load(pe_load), .b_en(b_en), .b_addr(b_addr), .acc_first(acc_first), .acc_en(acc_en), .pe_acc(pe_acc), .pe_q(pe_q),
        .wr_en(step_wr_en), .wr_addr(step_wr_addr), .wr_data(wr_data), .logit_we(logit_we), .out_valid(state == ST_OUT),
        .m_axis_tdata(m_axis_tdata), .m_axis_tvalid(m_axis_tvalid), .m_axis_tready(m_axis_tready), .m_axis_tlast(m_axis_tlast),
        .done(out_done));

    // ---- R: row-buffer reads; weight reads: where the lanes are taps, every busy lane's ROM; where
    //      they are columns, every valid PE's broadcast ROM (the pass's first tile, or a pass that does
    //      not keep its weights) or register file (later tiles). X: a code
    //      read from the broadcast ROM at the first tile is written into the register file. ----
    reg pos0_1 = 1'b0, pos0_2 = 1'b0;
    reg [WIW-1:0] w_off1 = {WIW{1'b0}};
    reg [FIW-1:0] f_off2 = {FIW{1'b0}};
    always @(posedge clk) begin
        pos0_1 <= p == {AW{1'b0}}; pos0_2 <= pos0_1;
        w_off1 <= w_off; f_off2 <= w_off1[FIW-1:0];
    end
    wire [L-1:0] re = {L{v1}} & in_map;
    wire from_rf1 = rf_on && !pos0_1;
    generate
        for (j = 0; j < P; j = j + 1) begin : g_weights
            wire pe1 = v1 && compute && ok1[j];
            for (l = 0; l < L; l = l + 1) begin : g_lane
                assign w_en[j*L + l] = pe1 && !cols && in_range[l];
            end
            // Every step of a column pass takes a tap (lane 0, at least, is in the tile).
            assign p_en[j] = pe1 && cols && !from_rf1;
            assign f_re[j] = pe1 && cols && from_rf1;
            assign f_we[j] = pe_load[j] && rf_on && pos0_2;
        end
    endgenerate
    assign w_addr = w_base + w_off1;
    assign f_raddr = w_off1[FIW-1:0];
    assign f_waddr = f_off2;
    assign f_sel = rf_on && !pos0_2;

    // ---- M: where the lanes are columns, each busy lane accumulates (its busy flag one stage on) ----
    initial lane_acc = {L{1'b0}};
    always @(posedge clk) lane_acc <= lane_ok;

    // ---- W and after: where the lanes are columns, a group's last step latches the tile's results
    //      in the PEs' result registers, and the drain writes them one lane per cycle ----
    reg lc1 = 1'b0, lc2 = 1'b0, lc3 = 1'b0, lc4 = 1'b0;
    always @(posedge clk) begin
        lc1 <= last_col; lc2 <= lc1; lc3 <= lc2; lc4 <= lc3;
    end
    wire [P-1:0] wr_en;
    wire [BW-1:0] wr_addr;
    potnet_column_drain #(.P(P), .L(L), .BW(BW), .LW(LW), .DRW(DRW)) u_drain (
        .clk(clk), .rst(rst), .cols(cols), .last_issue(issue && step_last), .wv(wv), .step_wr_en(step_wr_en),
        .step_wr_addr(step_wr_addr), .row_end(lc4), .tile_lanes(tile_lanes), .ready(drain_ready), .latch(res_latch),
        .latch_lanes(res_lanes), .sel(res_sel), .wr_en(wr_en), .wr_addr(wr_addr));

    // ---- buffers: single-copy bank memories, the row loads, the row buffer ----
    // Every write of a cycle goes to one in-bank address: a weighted layer's PEs write bank j at
    // wr_addr, a pool writes its channel's bank there, and the input stream (CHW) one bank at laddr.
    wire [P-1:0] load_en;
    wire [BW-1:0] laddr;
    potnet_input_load #(.P(P), .AW(AW), .BW(BW), .BKW(BKW), .LAST_IN(LAST_IN), .IN_N(IN_N), .LAST_IN_N(LAST_IN_N)) u_input (
        .clk(clk), .rst(rst), .loading(state == ST_LOAD), .s_axis_tvalid(s_axis_tvalid), .s_axis_tlast(s_axis_tlast),
        .hs(load_hs), .done(load_done), .started(load_started), .frame_error(frame_error), .bank_en(load_en), .addr(laddr));
    assign s_axis_tready = state == ST_LOAD;
    wire [P-1:0] we = load_hs ? load_en : wr_en;
    wire whalf = !load_hs && !src;
    wire [BW-1:0] waddr = load_hs ? laddr : wr_addr;
    wire [P*8-1:0] wdata = load_hs ? {P{s_axis_tdata}} : wr_data;

    wire ld_need, ld_last;
    wire [P-1:0] ld_re, ld_maxes;
    wire [BW-1:0] ld_raddr;
    wire [P*8-1:0] bank_q;
    // The loaded bytes (with a fused max pool, each window's maximum) reach the row buffer one cycle after their reads.
    wire [P-1:0] rb_we;
    wire [RBW-1:0] rb_waddr;
    wire [P*8-1:0] rb_wdata;
    // While a row's steps issue, the loader already loads the next row's rows (not across a pool's channels).
    wire [DW-1:0] ld_top = state == ST_RUN && !last_row ? top + stride : top;
    potnet_row_loader #(.P(P), .BW(BW), .BKW(BKW), .DW(DW), .XW(XW), .RBW(RBW), .LGW(LGW), .PKW(PKW)) u_loader (
        .clk(clk), .restart(!active || (row_done && last_row)), .load(active), .pooling(pooling), .top(ld_top), .in_h(in_h),
        .k_h(k_h), .ld_last_group(ld_last_group), .ld_mask(ld_mask), .ld_row(ld_row), .ld_last_col(ld_last_col),
        .ld_pool_last(ld_pool_last), .ld_src_w(ld_src_w), .ld_last_cx(ld_last_cx),
        .n_in(n_in), .cin(cin), .cbank(cbank), .rb_rows(rb_rows), .rb_group(rb_group), .rb_w(rb_w), .bank_q(bank_q),
        .need(ld_need), .last(ld_last), .re(ld_re), .raddr(ld_raddr), .rb_we(rb_we), .rb_waddr(rb_waddr), .rb_wdata(rb_wdata),
        .maxes(ld_maxes));

    generate
        for (j = 0; j < P; j = j + 1) begin : g_bank
            potnet_ram #(.AW(BW + 1)) u_ram (
                .clk(clk), .we(we[j]), .waddr({whalf, waddr}), .wdata(wdata[j*8 +: 8]),
                .re(ld_re[j]), .raddr({src, ld_raddr}), .q(bank_q[j*8 +: 8]));
        end
    endgenerate

    potnet_row_buffer #(.P(P), .L(L), .RBW(RBW), .BKW(BKW)) u_rows (
        .clk(clk), .we(rb_we), .waddr(rb_waddr), .wdata(rb_wdata), .re(re), .rbank(rbank), .raddr(raddr), .rdata(lane_x));

    // ---- control ----
    always @(posedge clk) begin
        if (rst) begin
            state <= ST_LOAD;
            pass <= {PW{1'b0}};
        end else begin
            case (state)
                ST_LOAD: if (load_done) begin
                    state <= ST_ROWS;
                    pass <= {PW{1'b0}};
                end
                ST_ROWS: if (!ld_need || ld_last) state <= ST_RUN;
                ST_RUN: if (pass_done) begin
                    state <= ST_DRAIN;
                    drain <= cols ? DRAIN_COLS : DRAIN_TAPS;
                end else if (row_done) begin
                    state <= ST_ROWS;
                end
                ST_DRAIN: if (drain != {DRW{1'b0}}) begin
                    drain <= drain - 1'b1;
                end else if (pass == LAST_PASS) begin
                    state <= ST_OUT;
                end else begin
                    pass <= pass + 1'b1;
                    state <= ST_ROWS;
                end
                ST_OUT: if (out_done) state <= ST_LOAD;
                default: state <= ST_LOAD;
            endcase
        end
    end

    // The tap index word of the step issued next: the offset the issue counters move to, at the
    // position they move to. The ROM serves a pass's first position (and every position of a pass
    // that does not hold its weights), the register file the later ones; a word the ROM gives at the
    // first position is written into the register file when it arrives.
    wire position_next = issue && step_last && group_last;
    wire [WIW-1:0] w_next = !active || position_next ? {WIW{1'b0}} : issue ? w_off + 1'b1 : w_off;
    wire i_read = skip && ((issue && !pass_done) || fresh);
    wire i_held = rf_on && !fresh && (p != {AW{1'b0}} || position_next);
    // Without skipping the index ROM is one word (IIW = 1) and the offset's high bits go unused.
    wire [IIW-1:0] i_off;
    potnet_resize #(.IN(WIW), .OUT(IIW)) u_i_off (.a(w_next), .y(i_off));
    assign i_en = i_read && !i_held;
    assign i_addr = i_base + i_off;
    assign i_re = i_read && i_held;
    potnet_resize #(.IN(WIW), .OUT(FIW)) u_i_raddr (.a(w_next), .y(i_raddr));
    initial begin
        i_we = 1'b0; i_waddr = {FIW{1'b0}}; i_sel = 1'b0;
    end
    always @(posedge clk) begin
        i_we <= i_en && rf_on;
        i_waddr <= i_raddr;
        if (i_read) i_sel <= i_held;
    end

    // Issue counters: they rest at zero outside a pass and hold while the row loads run.
    always @(posedge clk) begin
        if (!active) begin
            s <= {SW{1'b0}}; g <= {GW{1'b0}}; p <= {AW{1'b0}};
            w_off <= {WIW{1'b0}}; b_off <= {BIW{1'b0}}; cob <= {CW{1'b0}};
        end else if (issue) begin
            if (!step_last) begin
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
    end

`ifndef SYNTHESIS
    // Event counters, for verification and the energy model only: excluded from synthesis.
    reg [63:0] ev_cycles = 64'd0, ev_pe_ops = 64'd0, ev_gated_ops = 64'd0, ev_acc_updates = 64'd0;
    reg [63:0] ev_weight_rom_reads = 64'd0, ev_param_rom_reads = 64'd0;
    reg [63:0] ev_act_reads = 64'd0, ev_act_writes = 64'd0, ev_requantizations = 64'd0;
    reg [63:0] ev_pool_updates = 64'd0, ev_logit_writes = 64'd0;
    localparam [63:0] PL = P * L;
    reg [63:0] ev_pe_rom_reads = 64'd0, ev_drain_reads = 64'd0, ev_tap_index_reads = 64'd0;
    reg [63:0] ev_weight_rf_reads = 64'd0, ev_weight_rf_writes = 64'd0, ev_row_buffer_reads = 64'd0, ev_row_buffer_writes = 64'd0;
    reg [63:0] ev_load_maxes = 64'd0, ev_tap_index_rf_reads = 64'd0, ev_tap_index_rf_writes = 64'd0, ev_result_writes = 64'd0;
    reg [31:0] n_ops, n_gated, n_reads, n_wrom, n_prom, n_acc, n_writes, n_logits, n_frd, n_fwr, n_loads, n_rbw, n_perom, n_lanes, n_maxes;
    reg [31:0] n_latched, n_results;
    integer a, b;
    always @* begin
        n_ops = 32'd0; n_gated = 32'd0; n_reads = 32'd0; n_wrom = 32'd0; n_frd = 32'd0; n_fwr = 32'd0;
        n_prom = 32'd0; n_acc = 32'd0; n_writes = 32'd0; n_logits = 32'd0; n_loads = 32'd0; n_rbw = 32'd0;
        n_perom = 32'd0; n_lanes = 32'd0; n_maxes = 32'd0; n_latched = 32'd0; n_results = 32'd0;
        for (b = 0; b < L; b = b + 1) begin
            if (lane_acc[b]) n_lanes = n_lanes + 32'd1;
            if (res_lanes[b]) n_latched = n_latched + 32'd1;
        end
        for (a = 0; a < P; a = a + 1) begin
            for (b = 0; b < L; b = b + 1) begin
                if (pe_load[a] && lane_ok[b]) begin
                    if (GATING != 0 && pe_zero[a*L + b]) n_gated = n_gated + 32'd1;
                    else n_ops = n_ops + 32'd1;
                end
                if (w_en[a*L + b]) n_wrom = n_wrom + 32'd1;
            end
            if (p_en[a]) n_perom = n_perom + 32'd1;
            if (f_re[a]) n_frd = n_frd + 32'd1;
            if (f_we[a]) n_fwr = n_fwr + 32'd1;
            if (b_en[a]) n_prom = n_prom + 32'd1;
            // One accumulation per PE where the lanes are taps, one per busy lane where they are columns.
            if (acc_en[a]) n_acc = n_acc + (cols ? n_lanes : 32'd1);
            if (wr_en[a]) n_writes = n_writes + 32'd1;
            if (logit_we[a]) n_logits = n_logits + 32'd1;
            if (ld_re[a]) n_loads = n_loads + 32'd1;
            if (rb_we[a]) n_rbw = n_rbw + 32'd1;
            if (ld_maxes[a]) n_maxes = n_maxes + 32'd1;
            if (res_latch[a]) n_results = n_results + n_latched;
        end
        for (b = 0; b < L; b = b + 1) begin
            if (re[b]) n_reads = n_reads + 32'd1;
        end
    end
    wire counting = state != ST_LOAD || load_started || load_hs;
    always @(posedge clk) begin
        if (rst) begin
            ev_cycles <= 64'd0; ev_pe_ops <= 64'd0; ev_gated_ops <= 64'd0; ev_acc_updates <= 64'd0;
            ev_weight_rom_reads <= 64'd0; ev_param_rom_reads <= 64'd0;
            ev_act_reads <= 64'd0; ev_act_writes <= 64'd0; ev_requantizations <= 64'd0;
            ev_pool_updates <= 64'd0; ev_logit_writes <= 64'd0;
            ev_pe_rom_reads <= 64'd0; ev_drain_reads <= 64'd0; ev_tap_index_reads <= 64'd0;
            ev_weight_rf_reads <= 64'd0; ev_weight_rf_writes <= 64'd0; ev_row_buffer_reads <= 64'd0; ev_row_buffer_writes <= 64'd0;
            ev_load_maxes <= 64'd0; ev_tap_index_rf_reads <= 64'd0; ev_tap_index_rf_writes <= 64'd0; ev_result_writes <= 64'd0;
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
            // Every write of a hidden weighted layer's results is a requantised byte.
            if (kind == K_HIDDEN) ev_requantizations <= ev_requantizations + {32'd0, n_writes};
            if (v3 && pooling) ev_pool_updates <= ev_pool_updates + 64'd1;
            ev_logit_writes <= ev_logit_writes + {32'd0, n_logits};
            ev_pe_rom_reads <= ev_pe_rom_reads + {32'd0, n_perom};
            // The latch reads every lane's accumulator of every PE; the result registers keep the tile's lanes of the PEs that hold a channel.
            if (wv && cols) ev_drain_reads <= ev_drain_reads + PL;
            ev_result_writes <= ev_result_writes + {32'd0, n_results};
            if (i_en) ev_tap_index_reads <= ev_tap_index_reads + 64'd1;
            if (i_re) ev_tap_index_rf_reads <= ev_tap_index_rf_reads + 64'd1;
            if (i_we) ev_tap_index_rf_writes <= ev_tap_index_rf_writes + 64'd1;
            ev_weight_rf_reads <= ev_weight_rf_reads + {32'd0, n_frd};
            ev_weight_rf_writes <= ev_weight_rf_writes + {32'd0, n_fwr};
            ev_row_buffer_reads <= ev_row_buffer_reads + {32'd0, n_reads};
            ev_row_buffer_writes <= ev_row_buffer_writes + {32'd0, n_rbw};
            ev_load_maxes <= ev_load_maxes + {32'd0, n_maxes};
        end
    end
`endif
endmodule
