// The row loads of the row-buffer dataflow: before each output row the core holds the issue while
// this unit copies the input rows the row's windows reach (up to top + k - 1, at most the input's last
// row) that are not in the row buffer yet, in order, from the source buffer's single-copy bank
// memories. One cycle per column and channel group: every bank reads its channel of the group
// (channel group * P + bank, in-bank address cin + group * N + row * W + column, as BankLayout lays
// out the tensor) and the row buffer takes the byte one cycle later at group offset + slot offset
// + column, row r in slot r mod k. A pool loads its one channel (cin, cbank). The counters start at
// zero at each pass and each channel a pool walks (restart), and otherwise hold between output rows,
// so each input row is read once.
module potnet_row_loader #(
    parameter P = 1,
    parameter BW = 1,
    parameter BKW = 1,
    parameter DW = 2,
    parameter XW = 1,
    parameter RBW = 1,
    parameter LGW = 1
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
    input  wire [BW-1:0]    n_in,
    input  wire [BW-1:0]    cin,
    input  wire [BKW-1:0]   cbank,
    input  wire [RBW-1:0]   rb_rows,
    input  wire [RBW-1:0]   rb_group,
    input  wire [RBW-1:0]   rb_w,
    output wire             need,
    output wire             last,
    output wire [P-1:0]     re,
    output wire [BW-1:0]    raddr,
    output wire [RBW-1:0]   waddr
);
    reg [DW-1:0]  lrow = {DW{1'b0}};
    reg [BW-1:0]  lcol = {BW{1'b0}}, lrow_base = {BW{1'b0}}, lgroup_base = {BW{1'b0}};
    reg [RBW-1:0] rcol = {RBW{1'b0}}, lslot = {RBW{1'b0}}, rgroup = {RBW{1'b0}};
    reg [LGW-1:0] lgroup = {LGW{1'b0}};

    // The last row the current output row needs: top + k - 1, at most in_h - 1 (top may be negative).
    wire [DW-1:0] row_end = top + {{(DW-XW){1'b0}}, k_h} - 1'b1;
    wire [DW-1:0] row_next = lrow + 1'b1;
    assign need = lrow < in_h && $signed(lrow) <= $signed(row_end);
    wire col_last = lcol == ld_last_col;
    wire group_last = lgroup == ld_last_group;
    assign last = need && col_last && group_last && (row_next == in_h || lrow == row_end);

    wire [RBW:0] slot_sum = {1'b0, lslot} + {1'b0, rb_w};
    wire [RBW:0] rows_wide = {1'b0, rb_rows};
    always @(posedge clk) begin
        if (restart) begin
            lrow <= {DW{1'b0}}; lcol <= {BW{1'b0}}; lrow_base <= {BW{1'b0}}; lgroup_base <= {BW{1'b0}};
            rcol <= {RBW{1'b0}}; lslot <= {RBW{1'b0}}; rgroup <= {RBW{1'b0}}; lgroup <= {LGW{1'b0}};
        end else if (load && need) begin
            if (!col_last) begin
                lcol <= lcol + 1'b1;
                rcol <= rcol + 1'b1;
            end else begin
                lcol <= {BW{1'b0}};
                rcol <= {RBW{1'b0}};
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

    genvar j;
    generate
        for (j = 0; j < P; j = j + 1) begin : g_bank
            localparam [BKW-1:0] J = j;
            assign re[j] = load && need && (pooling ? cbank == J : (!group_last || ld_mask[j]));
        end
    endgenerate
    assign raddr = cin + lgroup_base + lrow_base + lcol;
    assign waddr = rgroup + lslot + rcol;
endmodule
