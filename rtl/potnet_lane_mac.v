// One lane of a MAC PE for uniform(B) codes (B-bit two's complement): a real multiplier,
// x (u8) times w. USE_DSP asks synthesis for a DSP block (1) or fabric logic (0).
// Operand registers and gating: potnet_lane_operands. ACC_W >= B + 9, the product's width.
module potnet_lane_mac #(
    parameter B = 4,
    parameter ACC_W = 32,
    parameter GATING = 1,
    parameter USE_DSP = 1
) (
    input  wire             clk,
    input  wire             en,
    input  wire [7:0]       x,
    input  wire [B-1:0]     code,
    output wire             zero,
    output wire [ACC_W-1:0] p
);
    assign zero = code == {B{1'b0}};
    wire [7:0]   x_r;
    wire [B-1:0] code_r;
    wire         off_r;
    potnet_lane_operands #(.B(B), .GATING(GATING)) u_operands (
        .clk(clk), .en(en), .zero(zero), .x(x), .code(code), .x_r(x_r), .code_r(code_r), .off_r(off_r));

    wire signed [8:0]   xs = {1'b0, x_r};
    wire signed [B-1:0] ws = code_r;
    wire signed [B+8:0] product;
    generate
        if (USE_DSP != 0) begin : g_dsp
            (* use_dsp = "yes" *) wire signed [B+8:0] m = xs * ws;
            assign product = m;
        end else begin : g_lut
            (* use_dsp = "no" *) wire signed [B+8:0] m = xs * ws;
            assign product = m;
        end
    endgenerate

    wire [ACC_W-1:0] wide;
    generate
        if (ACC_W > B + 9) begin : g_extend
            assign wide = {{(ACC_W-B-9){product[B+8]}}, product};
        end else begin : g_same
            assign wide = product;
        end
    endgenerate
    assign p = off_r ? {ACC_W{1'b0}} : wide;
endmodule
