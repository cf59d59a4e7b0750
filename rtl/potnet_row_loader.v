// The row loads of the row-buffer dataflow: before each output row the core holds the issue while
// this unit copies the input rows the row's windows reach (up to top + k - 1, at most the input's last
// row) that are not in the row buffer yet, in order, from the source buffer's single-copy bank
// memories. One cycle per column and channel group: every bank reads its channel of the group
// (channel group * P + bank, in-bank address cin + group * N + row * W + column, as BankLayout lays
// out the tensor) and the row buffer takes the byte one cycle later at group offset + slot offset
// + column, row r in slot r mod k. A pool loads its one channel (cin, cbank). The counters start at
// zero at each pass and each channel a pool walks (restart), and otherwise hold between output rows,
// so each input row is read once.
//
// With a max pool fused into the pass (ld_pool_last = pk - 1 > 0, FusedPool), the rows are pooled
// rows: each column takes pk x pk cycles, one per element of its window of the pool's input as
// stored (dy outer, dx inner: + dy * ld_src_w + dx), every bank at once; each bank keeps the running
// maximum (u8, unsigned) of its window in a register, and the row buffer takes the maximum one cycle
// after the window's last read, as it takes a plain load's byte. A loaded row starts at row * ld_row
// (pk source rows); a column at cx * pk plus, for a dense layer whose loaded row holds every pooled
// row, cy * ld_row (cx wraps at ld_last_cx). Without a fused pool every window is one element
// (ld_pool_last = 0, ld_row = W, ld_last_cx = ld_last_col) and the maximum is the byte read.
module potnet_row_loader #(
    parameter P = 1,
    parameter BW = 1,
    parameter BKW = 1,
    parameter DW = 2,
    parameter XW = 1,
    parameter RBW = 1,
    parameter LGW = 1,
    parameter PKW = 1
) (
    input  wire             clk,
    input  wire             restart,
    input  wire             load,
    input  wire             pooling,
    input  wire [DW-1:0]    top,
    input  wire [DW-1:0]    in_h,
    input  wire [XW-1:0]    k_h,
    input  wire [LGW-1:0]   ld_last_group,
    input  wire [P-1:0]     ld_mask,
    input  wire [BW-1:0]    ld_row,
    input  wire [BW-1:0]    ld_last_col,
    input  wire [PKW-1:0]   ld_pool_last,
    input  wire [BW-1:0]    ld_src_w,
    input  wire [BW-1:0]    ld_last_cx,
    input  wire [BW-1:0]    n_in,
    input  wire [BW-1:0]    cin,
    input  wire [BKW-1:0]   cbank,
    input  wire [RBW-1:0]   rb_rows,
    input  wire [RBW-1:0]   rb_group,
    input  wire [RBW-1:0]   rb_w,
    input  wire [P*8-1:0]   bank_q,
    output wire             need,
    output wire             last,
    output wire [P-1:0]     re,
    output wire [BW-1:0]    raddr,
    output wire [P-1:0]     rb_we,
    output reg  [RBW-1:0]   rb_waddr,
    output wire [P*8-1:0]   rb_wdata,
    output wire [P-1:0]     maxes
);
    reg [DW-1:0]  lrow = {DW{1'b0}};
    reg [BW-1:0]  lcol = {BW{1'b0}}, lrow_base = {BW{1'b0}}, lgroup_base = {BW{1'b0}};
    reg [RBW-1:0] rcol = {RBW{1'b0}}, lslot = {RBW{1'b0}}, rgroup = {RBW{1'b0}};
    reg [LGW-1:0] lgroup = {LGW{1'b0}};
    // The window (dx, dy; lwin = dy * src_w + dx, ldy_base = dy * src_w) and the column's pooled
    // column and row within the loaded row (lcx; lpos = cy * ld_row + cx * pk, lcy_base = cy * ld_row).
    reg [PKW-1:0] ldx = {PKW{1'b0}}, ldy = {PKW{1'b0}};
    reg [BW-1:0]  lwin = {BW{1'b0}}, ldy_base = {BW{1'b0}}, lcx = {BW{1'b0}}, lpos = {BW{1'b0}}, lcy_base = {BW{1'b0}};

    // The last row the current output row needs: top + k - 1, at most in_h - 1 (top may be negative).
    wire [DW-1:0] row_end = top + {{(DW-XW){1'b0}}, k_h} - 1'b1;
    wire [DW-1:0] row_next = lrow + 1'b1;
    assign need = lrow < in_h && $signed(lrow) <= $signed(row_end);
    wire col_last = lcol == ld_last_col;
    wire group_last = lgroup == ld_last_group;
    wire dx_last = ldx == ld_pool_last;
    wire win_last = dx_last && ldy == ld_pool_last;
    wire win_first = ldx == {PKW{1'b0}} && ldy == {PKW{1'b0}};
    wire cx_last = lcx == ld_last_cx;
    assign last = need && win_last && col_last && group_last && (row_next == in_h || lrow == row_end);

    // pk, the source columns from one pooled column to the next.
    wire [BW-1:0] pool_last;
    potnet_resize #(.IN(PKW), .OUT(BW)) u_pool_last (.a(ld_pool_last), .y(pool_last));
    wire [BW-1:0] pool_step = pool_last + 1'b1;
    wire [BW-1:0] dy_next = ldy_base + ld_src_w;
    wire [BW-1:0] cy_next = lcy_base + ld_row;

    wire [RBW:0] slot_sum = {1'b0, lslot} + {1'b0, rb_w};
    wire [RBW:0] rows_wide = {1'b0, rb_rows};
    always @(posedge clk) begin
        if (restart) begin
            lrow <= {DW{1'b0}}; lcol <= {BW{1'b0}}; lrow_base <= {BW{1'b0}}; lgroup_base <= {BW{1'b0}};
            rcol <= {RBW{1'b0}}; lslot <= {RBW{1'b0}}; rgroup <= {RBW{1'b0}}; lgroup <= {LGW{1'b0}};
            ldx <= {PKW{1'b0}}; ldy <= {PKW{1'b0}}; lwin <= {BW{1'b0}}; ldy_base <= {BW{1'b0}};
            lcx <= {BW{1'b0}}; lpos <= {BW{1'b0}}; lcy_base <= {BW{1'b0}};
        end else if (load && need) begin
            if (!win_last) begin
                if (!dx_last) begin
                    ldx <= ldx + 1'b1;
                    lwin <= lwin + 1'b1;
                end else begin
                    ldx <= {PKW{1'b0}};
                    ldy <= ldy + 1'b1;
                    ldy_base <= dy_next;
                    lwin <= dy_next;
                end
            end else begin
                ldx <= {PKW{1'b0}}; ldy <= {PKW{1'b0}}; lwin <= {BW{1'b0}}; ldy_base <= {BW{1'b0}};
                if (!col_last) begin
                    lcol <= lcol + 1'b1;
                    rcol <= rcol + 1'b1;
                    if (!cx_last) begin
                        lcx <= lcx + 1'b1;
                        lpos <= lpos + pool_step;
                    end else begin
                        lcx <= {BW{1'b0}};
                        lcy_base <= cy_next;
                        lpos <= cy_next;
                    end
                end else begin
                    lcol <= {BW{1'b0}};
                    rcol <= {RBW{1'b0}};
                    lcx <= {BW{1'b0}}; lpos <= {BW{1'b0}}; lcy_base <= {BW{1'b0}};
                    if (!group_last) begin
                        lgroup <= lgroup + 1'b1;
                        lgroup_base <= lgroup_base + n_in;
                        rgroup <= rgroup + rb_group;
                    end else begin
                        lgroup <= {LGW{1'b0}};
                        lgroup_base <= {BW{1'b0}};
                        rgroup <= {RBW{1'b0}};
                        lrow <= row_next;
                        lrow_base <= lrow_base + ld_row;
                        lslot <= slot_sum >= rows_wide ? slot_sum[RBW-1:0] - rb_rows : slot_sum[RBW-1:0];
                    end
                end
            end
        end
    end

    genvar j;
    generate
        for (j = 0; j < P; j = j + 1) begin : g_bank
            localparam [BKW-1:0] J = j;
            assign re[j] = load && need && (pooling ? cbank == J : (!group_last || ld_mask[j]));
        end
    endgenerate
    assign raddr = cin + lgroup_base + lrow_base + lpos + lwin;

    // The bytes arrive one cycle after their reads: each bank's max takes them, and the row buffer
    // the maximum after the window's last (a plain load's byte: its window is the byte).
    reg [P-1:0] re1 = {P{1'b0}};
    reg first1 = 1'b0, last1 = 1'b0, fused1 = 1'b0;
    initial rb_waddr = {RBW{1'b0}};
    always @(posedge clk) begin
        re1 <= re;
        first1 <= win_first;
        last1 <= win_last;
        fused1 <= ld_pool_last != {PKW{1'b0}};
        rb_waddr <= rgroup + lslot + rcol;
    end
    generate
        for (j = 0; j < P; j = j + 1) begin : g_max
            reg [7:0] best = 8'd0;
            wire [7:0] q = bank_q[j*8 +: 8];
            wire [7:0] m = first1 || q > best ? q : best;
            always @(posedge clk) if (re1[j]) best <= m;
            assign rb_wdata[j*8 +: 8] = m;
        end
    endgenerate
    assign rb_we = re1 & {P{last1}};
    assign maxes = re1 & {P{fused1}};
endmodule
