// One lane of an APoT PE for apot(B) codes: sign bit B-1 and an index into the magnitudes, each
// the sum of at most two powers of two. TERMS holds, per index, {has0, shift0, has1, shift1}
// (SW-bit shifts, index 0 in the low bits); the product is two shifts and an add.
// Operand registers and gating: potnet_lane_operands; products modulo 2^ACC_W as in potnet_lane_bac.
module potnet_lane_apot #(
    parameter B = 4,
    parameter ACC_W = 32,
    parameter GATING = 1,
    parameter SW = 3,
    parameter [(1 << (B-1))*2*(SW+1)-1:0] TERMS = 0
) (
    input  wire             clk,
    input  wire             en,
    input  wire [7:0]       x,
    input  wire [B-1:0]     code,
    output wire             zero,
    output wire [ACC_W-1:0] p
);
    localparam EW = 2 * (SW + 1);

    assign zero = code[B-2:0] == {(B-1){1'b0}};
    wire [7:0]   x_r;
    wire [B-1:0] code_r;
    wire         off_r;
    potnet_lane_operands #(.B(B), .GATING(GATING)) u_operands (
        .clk(clk), .en(en), .zero(zero), .x(x), .code(code), .x_r(x_r), .code_r(code_r), .off_r(off_r));

    wire [EW-1:0]    t = TERMS[code_r[B-2:0] * EW +: EW];
    wire [ACC_W-1:0] xw = {{(ACC_W-8){1'b0}}, x_r};
    wire [ACC_W-1:0] term1 = t[SW] ? xw << t[SW-1:0] : {ACC_W{1'b0}};
    wire [ACC_W-1:0] term0 = t[EW-1] ? xw << t[EW-2:SW+1] : {ACC_W{1'b0}};
    wire [ACC_W-1:0] mag = term0 + term1;
    assign p = off_r ? {ACC_W{1'b0}} : (code_r[B-1] ? -mag : mag);
endmodule
