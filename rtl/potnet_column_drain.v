// The drain of a pass whose lanes are columns (potnet_core_rowbuffer). At a group's last step's W
// (wv), the PEs that hold an output channel latch the requantised results of the tile's lanes into
// their result registers (latch, latch_lanes: every lane but those past a row's last column), and in
// the L cycles after, the drain writes lane d's (output position base + d, PE j to bank j) in the
// d-th, while the next group already runs. The drain of one group must end before the next latches,
// so a group's last step issues at least L cycles after the previous group's (ready): with fewer
// than L steps in a group, the issue waits, as the cycle model counts (CycleModel.ColumnCycles).
// Elsewhere (cols low) the writes are the step pipeline's.
module potnet_column_drain #(
    parameter P = 1,
    parameter L = 1,
    parameter BW = 1,
    parameter LW = 1,
    parameter DRW = 1
) (
    input  wire          clk,
    input  wire          rst,
    input  wire          cols,
    // a group's last step issues in this cycle
    input  wire          last_issue,
    // at W: a step's results (the step pipeline's writes) and whether its tile ends a row
    input  wire          wv,
    input  wire [P-1:0]  step_wr_en,
    input  wire [BW-1:0] step_wr_addr,
    input  wire          row_end,
    input  wire [L-1:0]  tile_lanes,
    output wire          ready,
    output wire [P-1:0]  latch,
    output wire [L-1:0]  latch_lanes,
    output reg  [LW-1:0] sel,
    output wire [P-1:0]  wr_en,
    output wire [BW-1:0] wr_addr
);
    localparam integer L_LAST_I = L - 1;
    localparam [LW-1:0] L_LAST = L_LAST_I[LW-1:0];
    localparam [DRW-1:0] SPACING = L;

    // Cycles since the last group's last step issued, saturating at L (and at L between passes).
    reg [DRW-1:0] since = SPACING;
    always @(posedge clk) begin
        if (rst) since <= SPACING;
        else if (cols && last_issue) since <= {{(DRW-1){1'b0}}, 1'b1};
        else if (since != SPACING) since <= since + 1'b1;
    end
    assign ready = since == SPACING;

    wire res_latch = wv && cols;
    assign latch = {P{res_latch}} & step_wr_en;
    assign latch_lanes = row_end ? tile_lanes : {L{1'b1}};

    reg draining = 1'b0;
    reg [BW-1:0] d_base = {BW{1'b0}};
    reg [P-1:0] d_pes = {P{1'b0}};
    reg [L-1:0] d_lanes = {L{1'b0}};
    initial sel = {LW{1'b0}};
    always @(posedge clk) begin
        if (rst) begin
            draining <= 1'b0;
        end else if (res_latch) begin
            draining <= 1'b1;
            sel <= {LW{1'b0}};
            d_base <= step_wr_addr;
            d_pes <= step_wr_en;
            d_lanes <= latch_lanes;
        end else if (draining) begin
            if (sel == L_LAST) draining <= 1'b0;
            sel <= sel + 1'b1;
        end
    end
    assign wr_en = cols ? {P{draining && d_lanes[sel]}} & d_pes : step_wr_en;
    // The lane's offset in the write address's width (a tile never crosses a row, so it fits).
    wire [BW-1:0] d_offset;
    potnet_resize #(.IN(LW), .OUT(BW)) u_d_offset (.a(sel), .y(d_offset));
    assign wr_addr = cols ? d_base + d_offset : step_wr_addr;
endmodule
