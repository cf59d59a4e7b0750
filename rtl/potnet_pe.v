// The reducing half of a PE: its accumulators and the requantiser. Where the lanes are taps (cols
// low), an adder tree sums the L lanes' products into accumulator 0 (loaded with the bias on a
// group's first step). Where they are columns (cols high), each lane accumulates its own output
// (lane_en: the lanes busy in this step) and the tree's inputs are held at zero; at a group's last
// step's W (latch) every lane's requantiser takes its accumulator and the result registers keep the
// bytes of the lanes in the tile (latch_lanes), from which the drain writes one lane's per cycle
// (sel) while the next group already accumulates. The shift is latched with each accumulation, so it
// belongs to the group whose result the accumulators hold (the next group's first accumulation is at
// the latch's clock edge at the earliest). COLS = 0 builds a PE for lanes as taps only (one
// accumulator and requantiser, no result registers), so that a design with no column pass pays for
// none of it.
module potnet_pe #(
    parameter L = 1,
    parameter ACC_W = 32,
    parameter LW = 1,
    parameter COLS = 1
) (
    input  wire             clk,
    input  wire             acc_en,
    input  wire             first,
    input  wire             cols,
    input  wire [L-1:0]     lane_en,
    input  wire [L*ACC_W-1:0] products,
    input  wire [ACC_W-1:0] bias,
    input  wire [7:0]       shift,
    input  wire             latch,
    input  wire [L-1:0]     latch_lanes,
    input  wire [LW-1:0]    sel,
    output wire [ACC_W-1:0] acc,
    output wire [7:0]       q
);
    wire [ACC_W-1:0]   sum;
    reg  [7:0]         shift_r = 8'd0;
    wire [L*ACC_W-1:0] accs;

    wire col = COLS != 0 && cols;
    potnet_adder_tree #(.N(L), .W(ACC_W)) u_tree (.in(col ? {(L*ACC_W){1'b0}} : products), .sum(sum));

    genvar l;
    generate
        for (l = 0; l < L; l = l + 1) begin : g_lane
            if (l == 0 || COLS != 0) begin : g_acc
                reg [ACC_W-1:0] a = {ACC_W{1'b0}};
                // Lane 0's accumulator is also the adder tree's.
                wire [ACC_W-1:0] add = col ? products[l*ACC_W +: ACC_W] : sum;
                wire             en = acc_en && (col ? lane_en[l] : l == 0);
                always @(posedge clk) begin
                    if (en) a <= (first ? bias : a) + add;
                end
                assign accs[l*ACC_W +: ACC_W] = a;
            end else begin : g_none
                assign accs[l*ACC_W +: ACC_W] = {ACC_W{1'b0}};
            end
        end
    endgenerate

    always @(posedge clk) begin
        if (acc_en) shift_r <= shift;
    end

    // Lane 0's requantiser serves both mappings: its accumulator is the adder tree's.
    wire [7:0] q0;
    potnet_requant #(.W(ACC_W)) u_requant (.acc(acc), .shift(shift_r), .q(q0));
    generate
        if (COLS == 0) begin : g_taps_only
            // The column inputs are tied off where no pass has its lanes as columns.
            /* verilator lint_off UNUSEDSIGNAL */
            wire unused = &{1'b0, cols, lane_en, latch, latch_lanes, sel, accs[L*ACC_W-1:0]};
            /* verilator lint_on UNUSEDSIGNAL */
            assign q = q0;
        end else begin : g_results
            wire [L*8-1:0] results;
            for (l = 0; l < L; l = l + 1) begin : g_result
                wire [7:0] lq;
                if (l == 0) begin : g_first
                    assign lq = q0;
                end else begin : g_other
                    potnet_requant #(.W(ACC_W)) u_requant (.acc(accs[l*ACC_W +: ACC_W]), .shift(shift_r), .q(lq));
                end
                reg [7:0] r = 8'd0;
                always @(posedge clk) begin
                    if (latch && latch_lanes[l]) r <= lq;
                end
                assign results[l*8 +: 8] = r;
            end
            assign q = col ? results[sel*8 +: 8] : q0;
        end
    endgenerate

    assign acc = accs[ACC_W-1:0];
endmodule
