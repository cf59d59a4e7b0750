// The row-buffer dataflow's address unit: counters, no tables. Position counters walk a pass's output
// positions row-major (a pool also walks its channels) as potnet_address_unit's do; per lane a
// counter holds its tap's kernel column kx and row ky, its row's slot offset kyw, its channel's bank
// and its channel group's row-buffer offset, and steps by L taps in mixed radix (each digit carries
// at most one), restarting from the pass table's lane start at every group. The row buffer holds
// k + stride input rows (rb_rows / W slots: the window's and the next window's new ones, which load
// while this window is read), row r in slot r mod slots (offset slot * W): the window's top row's
// slot offset is tslot (((oy * stride - pad) mod slots) * W, kept by a counter from rb_top), the
// lane's kyw adds ky * W (stepping by W with a kx carry and back by rb_kw = k * W with a ky wrap),
// modulo rb_rows. A tap reads row-buffer bank (bank + the pool channel's bank) at group offset +
// slot offset + column, unless it lies in the zero padding (its row or column outside the input).
//
// Where the lanes are columns (cols), every lane's counter holds the same tap, stepping by one tap,
// and lane l reads lane_col[l] = l * stride columns right of the tile's corner; the position
// counters walk tiles of L output columns (ox_step = L * stride), and a lane is busy while its column
// lies in the row (tile_lanes on a row's last tile).
//
// A zero-skipping pass (skip) issues only the steps whose codes are not all zero, so its lanes cannot
// count: each step comes with its tap index (ti_*: the kernel column and row, bank and channel group
// of its first tap, read from the tap index ROM or register file), and each lane reads at its start
// plus the tap index, added by the same one-carry-per-digit adder the counter steps with. The tap's
// row offset (ky * W) and channel group's offset (group * k * W) are not stored: two multipliers
// derive them here once per step for all lanes.
//
// The counters belong to the step issued in this cycle (I); while a step waits they keep its tap,
// and otherwise between issues they rest at the start. The lane outputs are registered, so they
// belong to the step issued one cycle earlier (R). wbase, cbank and cin say where the issued step's
// results go and which channel a pool's row loads read, as in potnet_address_unit.
module potnet_rb_address_unit #(
    parameter P = 1,
    parameter L = 1,
    parameter BW = 1,
    parameter BKW = 1,
    parameter DW = 2,
    parameter XW = 1,
    parameter RBW = 1,
    parameter TXW = 1,
    parameter TYW = 1,
    parameter LGW = 1
) (
    input  wire             clk,
    input  wire             active,
    // a pass's first cycle (ROWS; its pass-table fields are valid)
    input  wire             start,
    input  wire             issue,
    // a step waits at I (a column pass's group's last step, until the drain is ready)
    input  wire             waiting,
    input  wire             step_last,
    input  wire             group_last,
    input  wire [DW-1:0]    in_h,
    input  wire [DW-1:0]    in_w,
    input  wire [DW-1:0]    stride,
    input  wire [DW-1:0]    pad,
    input  wire [DW-1:0]    last_ox,
    input  wire [DW-1:0]    last_oy,
    input  wire [BW-1:0]    n_in,
    input  wire [BW-1:0]    n_out,
    input  wire [XW-1:0]    k_h,
    input  wire [XW-1:0]    k_w,
    input  wire [RBW-1:0]   rb_rows,
    input  wire [RBW-1:0]   rb_kw,
    input  wire [RBW-1:0]   rb_top,
    input  wire [RBW-1:0]   rb_group,
    input  wire [RBW-1:0]   rb_w,
    input  wire [RBW-1:0]   slot_step,
    input  wire [L-1:0]     last_lanes,
    input  wire             cols,
    input  wire [DW-1:0]    ox_step,
    input  wire [BW-1:0]    last_cols,
    input  wire [L-1:0]     tile_lanes,
    input  wire [L*DW-1:0]  lane_col,
    input  wire [XW-1:0]    d_kx,
    input  wire [XW-1:0]    d_ky,
    input  wire [RBW-1:0]   d_kyw,
    input  wire [BKW-1:0]   d_bank,
    input  wire [RBW-1:0]   d_group,
    input  wire [L*XW-1:0]  lane_kx,
    input  wire [L*XW-1:0]  lane_ky,
    input  wire [L*RBW-1:0] lane_kyw,
    input  wire [L*BKW-1:0] lane_bank,
    input  wire [L*RBW-1:0] lane_group,
    input  wire             skip,
    input  wire             ti_tail,
    input  wire [TXW-1:0]   ti_kx,
    input  wire [TYW-1:0]   ti_ky,
    input  wire [BKW-1:0]   ti_bank,
    input  wire [LGW-1:0]   ti_group,
    output wire [DW-1:0]    top,
    output wire             last_col,
    output wire             last_row,
    output wire [BW-1:0]    wbase,
    output wire [BKW-1:0]   cbank,
    output wire [BW-1:0]    cin,
    output reg  [L-1:0]     in_range,
    output reg  [L-1:0]     in_map,
    output reg  [L*BKW-1:0] rbank,
    output reg  [L*RBW-1:0] raddr
);
    localparam [BKW:0] P_B = P;
    // A tile's L output positions, in the write address's width (only used when a row has more than one tile, so n_out > L).
    localparam integer L_MOD = L % (1 << BW);
    localparam [BW-1:0] L_BW = L_MOD[BW-1:0];
    localparam [BW-1:0] ONE = 1;

    // ---- I: position counters, and the window's top row's slot offset ----
    wire [DW-1:0] oxs, oys;
    wire next_row, next_channel;
    // The slot offset moves only with the rows: next_col is for potnet_address_unit's corner address.
    /* verilator lint_off PINCONNECTEMPTY */
    potnet_positions #(.P(P), .BW(BW), .BKW(BKW), .DW(DW)) u_positions (
        .clk(clk), .clear(!active), .step(issue && step_last), .group_last(group_last), .stride(stride),
        .ox_step(ox_step), .col_count(cols ? L_BW : ONE), .last_count(cols ? last_cols : ONE), .last_ox(last_ox), .last_oy(last_oy), .n_in(n_in), .n_out(n_out), .oxs(oxs), .oys(oys),
        .next_col(), .next_row(next_row), .next_channel(next_channel),
        .wbase(wbase), .cbank(cbank), .cin(cin));
    /* verilator lint_on PINCONNECTEMPTY */

    reg [RBW-1:0] tslot = {RBW{1'b0}};
    initial begin
        in_range = {L{1'b0}};
        in_map = {L{1'b0}};
        rbank = {(L*BKW){1'b0}};
        raddr = {(L*RBW){1'b0}};
    end

    assign top = oys - pad;
    assign last_col = oxs == last_ox;
    assign last_row = oys == last_oy;
    wire [RBW:0]  tslot_sum = {1'b0, tslot} + {1'b0, slot_step};
    wire [RBW:0]  rows_wide = {1'b0, rb_rows};
    always @(posedge clk) begin
        if (start || next_channel) tslot <= rb_top;
        else if (next_row) tslot <= tslot_sum >= rows_wide ? tslot_sum[RBW-1:0] - rb_rows : tslot_sum[RBW-1:0];
    end

    // ---- I: the tap index in the counters' digits, its offsets derived (the products fit: ky < k,
    //      group < the row buffer's groups) ----
    wire [XW-1:0]  t_kx, t_ky;
    wire [RBW-1:0] t_row, t_gidx;
    potnet_resize #(.IN(TXW), .OUT(XW)) u_t_kx (.a(ti_kx), .y(t_kx));
    potnet_resize #(.IN(TYW), .OUT(XW)) u_t_ky (.a(ti_ky), .y(t_ky));
    potnet_resize #(.IN(TYW), .OUT(RBW)) u_t_row (.a(ti_ky), .y(t_row));
    potnet_resize #(.IN(LGW), .OUT(RBW)) u_t_gidx (.a(ti_group), .y(t_gidx));
    wire [RBW-1:0] t_kyw = t_row * rb_w;
    wire [RBW-1:0] t_group = t_gidx * rb_group;

    // ---- I: lane counters, and what each lane reads (registered into R) ----
    wire [DW-1:0] oy0 = oys - pad;
    wire [DW-1:0] ox0 = oxs - pad;
    genvar l;
    generate
        for (l = 0; l < L; l = l + 1) begin : g_lane
            reg [XW-1:0]  kx = {XW{1'b0}}, ky = {XW{1'b0}};
            reg [RBW-1:0] kyw = {RBW{1'b0}}, grp = {RBW{1'b0}};
            reg [BKW-1:0] bk = {BKW{1'b0}};

            wire [XW-1:0]  s_kx = lane_kx[l*XW +: XW], s_ky = lane_ky[l*XW +: XW];
            wire [RBW-1:0] s_kyw = lane_kyw[l*RBW +: RBW], s_grp = lane_group[l*RBW +: RBW];
            wire [BKW-1:0] s_bk = lane_bank[l*BKW +: BKW];

            // The one adder: counter + the digits of L (a step), or start + tap index (skip), carrying.
            wire [XW-1:0]  a_kx = skip ? s_kx : kx, a_ky = skip ? s_ky : ky;
            wire [RBW-1:0] a_kyw = skip ? s_kyw : kyw, a_grp = skip ? s_grp : grp;
            wire [BKW-1:0] a_bk = skip ? s_bk : bk;
            wire [XW-1:0]  kx1 = a_kx + (skip ? t_kx : d_kx);
            wire           c1 = kx1 >= k_w;
            wire [XW-1:0]  ky1 = a_ky + (skip ? t_ky : d_ky) + {{(XW-1){1'b0}}, c1};
            wire           c2 = ky1 >= k_h;
            // ky * W < k * W fits the row buffer's width, so the sum may wrap before the wrap's subtraction.
            wire [RBW-1:0] kyw1 = a_kyw + (skip ? t_kyw : d_kyw) + (c1 ? rb_w : {RBW{1'b0}});
            wire [BKW:0]   bk1 = {1'b0, a_bk} + {1'b0, skip ? ti_bank : d_bank} + {{BKW{1'b0}}, c2};
            wire           c3 = bk1 >= P_B;
            wire [XW-1:0]  n_kx = c1 ? kx1 - k_w : kx1;
            wire [XW-1:0]  n_ky = c2 ? ky1 - k_h : ky1;
            wire [RBW-1:0] n_kyw = c2 ? kyw1 - rb_kw : kyw1;
            wire [BKW-1:0] n_bk = c3 ? bk1[BKW-1:0] - P_B[BKW-1:0] : bk1[BKW-1:0];
            wire [RBW-1:0] n_grp = a_grp + (skip ? t_group : d_group) + (c3 ? rb_group : {RBW{1'b0}});
            always @(posedge clk) begin
                // Between groups, rows and passes they rest at the start (a new pass's, from its first
                // cycle); a waiting step keeps its tap.
                if (issue ? step_last : !waiting) begin
                    kx <= s_kx; ky <= s_ky; kyw <= s_kyw; bk <= s_bk; grp <= s_grp;
                end else if (issue) begin
                    kx <= n_kx; ky <= n_ky; kyw <= n_kyw; bk <= n_bk; grp <= n_grp;
                end
            end

            // The step's tap: the counter's, or (skip) the sum.
            wire [XW-1:0]  u_kx = skip ? n_kx : kx, u_ky = skip ? n_ky : ky;
            wire [RBW-1:0] u_kyw = skip ? n_kyw : kyw, u_grp = skip ? n_grp : grp;
            wire [BKW-1:0] u_bk = skip ? n_bk : bk;

            wire [DW-1:0]     iy = oy0 + {{(DW-XW){1'b0}}, u_ky};
            wire [DW-1:0]     ix = ox0 + lane_col[l*DW +: DW] + {{(DW-XW){1'b0}}, u_kx};
            // The column in the row buffer's address width (only read when 0 <= ix < W).
            wire [RBW-1:0]    col;
            potnet_resize #(.IN(DW), .OUT(RBW)) u_col (.a(ix), .y(col));
            wire [RBW:0]      slot1 = {1'b0, tslot} + {1'b0, u_kyw};
            wire [RBW-1:0]    slot = slot1 >= rows_wide ? slot1[RBW-1:0] - rb_rows : slot1[RBW-1:0];
            // Where the lanes are taps, the block holding the fan-in's last tap has last_lanes busy.
            wire              tail = skip ? ti_tail : step_last;
            wire              valid = cols ? !last_col || tile_lanes[l] : !tail || last_lanes[l];
            always @(posedge clk) begin
                in_range[l] <= valid;
                in_map[l] <= valid && !iy[DW-1] && iy < in_h && !ix[DW-1] && ix < in_w;
                rbank[l*BKW +: BKW] <= u_bk + cbank;
                raddr[l*RBW +: RBW] <= u_grp + slot + col;
            end
        end
    endgenerate
endmodule
