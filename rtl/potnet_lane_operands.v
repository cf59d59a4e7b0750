// The operand registers every lane kind has: the activation and the weight code are registered when
// the lane is enabled. With zero gating (GATING != 0) a zero weight leaves them held, so the lane's
// shifter or multiplier does not switch; off_r then (and for a disabled lane) tells the lane to
// contribute 0 in the next cycle.
module potnet_lane_operands #(
    parameter B = 4,
    parameter GATING = 1
) (
    input  wire         clk,
    input  wire         en,
    input  wire         zero,
    input  wire [7:0]   x,
    input  wire [B-1:0] code,
    output reg  [7:0]   x_r,
    output reg  [B-1:0] code_r,
    output reg          off_r
);
    wire load = en && !(GATING != 0 && zero);

    initial begin
        x_r = 8'd0;
        code_r = {B{1'b0}};
        off_r = 1'b1;
    end

    always @(posedge clk) begin
        if (load) begin
            x_r <= x;
            code_r <= code;
        end
        off_r <= !load;
    end
endmodule
