// The pooling unit: registered lane operands, a fold over the L lanes (max, or sum), and an
// accumulator over a window's steps. Average pooling ends with a rounding shift (the
// requantiser with r = log2(k*k)); disabled lanes read 0, neutral for both max and sum.
module potnet_pool #(
    parameter L = 1,
    parameter W = 16
) (
    input  wire         clk,
    input  wire         load,
    input  wire [L*8-1:0] x,
    input  wire         update,
    input  wire         first,
    input  wire         average,
    input  wire [7:0]   shift,
    output wire [7:0]   q
);
    reg [L*8-1:0] x_r = {(L*8){1'b0}};
    reg [W-1:0]   acc = {W{1'b0}};
    reg [7:0]     lane_max;
    reg [W-1:0]   lane_sum;
    integer i;

    always @* begin
        lane_max = 8'd0;
        lane_sum = {W{1'b0}};
        for (i = 0; i < L; i = i + 1) begin
            if (x_r[i*8 +: 8] > lane_max) lane_max = x_r[i*8 +: 8];
            lane_sum = lane_sum + {{(W-8){1'b0}}, x_r[i*8 +: 8]};
        end
    end

    wire [W-1:0] max_wide = {{(W-8){1'b0}}, lane_max};
    always @(posedge clk) begin
        if (load) x_r <= x;
        if (update) begin
            if (average) acc <= first ? lane_sum : acc + lane_sum;
            else acc <= (first || max_wide > acc) ? max_wide : acc;
        end
    end

    wire [7:0] rounded;
    potnet_requant #(.W(W)) u_shift (.acc(acc), .shift(shift), .q(rounded));
    assign q = average ? rounded : acc[7:0];
endmodule
