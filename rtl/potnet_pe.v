// The reducing half of a PE: an adder tree over its L lanes' products, the accumulator (loaded
// with the bias on a group's first step), and the requantiser. The shift is latched with each
// accumulation, so it belongs to the group whose result the accumulator holds.
module potnet_pe #(
    parameter L = 1,
    parameter ACC_W = 32
) (
    input  wire             clk,
    input  wire             acc_en,
    input  wire             first,
    input  wire [L*ACC_W-1:0] products,
    input  wire [ACC_W-1:0] bias,
    input  wire [7:0]       shift,
    output reg  [ACC_W-1:0] acc,
    output wire [7:0]       q
);
    wire [ACC_W-1:0] sum;
    reg  [7:0]       shift_r = 8'd0;

    potnet_adder_tree #(.N(L), .W(ACC_W)) u_tree (.in(products), .sum(sum));

    initial acc = {ACC_W{1'b0}};
    always @(posedge clk) begin
        if (acc_en) begin
            acc <= (first ? bias : acc) + sum;
            shift_r <= shift;
        end
    end

    potnet_requant #(.W(ACC_W)) u_requant (.acc(acc), .shift(shift_r), .q(q));
endmodule
