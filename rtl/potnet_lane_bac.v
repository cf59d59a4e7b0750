// One lane of a BAC (bit-shift-accumulate) PE for pot(B) codes: sign bit B-1, exponent field e.
// The product x * 2^(E-e) is a shift and a conditional negation: no multiplier.
// E - e = ~e - 1 in B-1 bits, since E = 2^(B-1) - 2. The zero code has e = E+1 (all ones).
// Operands are registered (potnet_lane_operands, with zero gating). The shift and the negation work
// at NW = min(ACC_W, 9 + E) bits, enough for any signed product, and only then is the result
// sign-extended to ACC_W: a narrower negation is cheaper than one at the accumulator's width.
// Products are modulo 2^ACC_W: every partial sum of a valid model fits the accumulator, so
// wrap-around never changes a result.
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
    localparam E = (1 << (B-1)) - 2;
    localparam NW = 9 + E < ACC_W ? 9 + E : ACC_W;

    assign zero = &code[B-2:0];
    wire [7:0]   x_r;
    wire [B-1:0] code_r;
    wire         off_r;
    potnet_lane_operands #(.B(B), .GATING(GATING)) u_operands (
        .clk(clk), .en(en), .zero(zero), .x(x), .code(code), .x_r(x_r), .code_r(code_r), .off_r(off_r));

    wire [B-2:0]  shift = ~code_r[B-2:0] + {(B-1){1'b1}};
    wire [NW-1:0] mag = {{(NW-8){1'b0}}, x_r} << shift;
    wire [NW-1:0] product = code_r[B-1] ? -mag : mag;
    wire [ACC_W-1:0] wide;
    generate
        if (ACC_W > NW) begin : g_extend
            assign wide = {{(ACC_W-NW){product[NW-1]}}, product};
        end else begin : g_same
            assign wide = product;
        end
    endgenerate
    assign p = (off_r || &code_r[B-2:0]) ? {ACC_W{1'b0}} : wide;
endmodule
