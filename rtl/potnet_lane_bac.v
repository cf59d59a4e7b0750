// One lane of a BAC (bit-shift-accumulate) PE for pot(B) codes: sign bit B-1, exponent field e.
// The product x * 2^(E-e) is a shift and a conditional negation: no multiplier.
// E - e = ~e - 1 in B-1 bits, since E = 2^(B-1) - 2. The zero code has e = E+1 (all ones).
// Operands are registered. With zero gating a zero weight leaves them held, so the shifter's
// inputs do not switch, and the lane contributes 0. Products are modulo 2^ACC_W: every
// partial sum of a valid model fits the accumulator, so wrap-around never changes a result.
module potnet_lane_bac #(
    parameter B = 4,
    parameter ACC_W = 32,
    parameter GATING = 1
) (
    input  wire             clk,
    input  wire             en,
    input  wire [7:0]       x,
    input  wire [B-1:0]     code,
    output wire             zero,
    output wire [ACC_W-1:0] p
);
    assign zero = &code[B-2:0];
    wire load = en && !(GATING != 0 && zero);

    reg [7:0]   x_r = 8'd0;
    reg [B-1:0] code_r = {B{1'b0}};
    reg         off_r = 1'b1;
    always @(posedge clk) begin
        if (load) begin
            x_r <= x;
            code_r <= code;
        end
        off_r <= !load;
    end

    wire [B-2:0]     shift = ~code_r[B-2:0] + {(B-1){1'b1}};
    wire [ACC_W-1:0] mag = {{(ACC_W-8){1'b0}}, x_r} << shift;
    assign p = (off_r || &code_r[B-2:0]) ? {ACC_W{1'b0}} : (code_r[B-1] ? -mag : mag);
endmodule
