// Requantisation of a W-bit two's complement accumulator to u8, as Requantization.Requantize:
// for r > 0, clamp((acc + 2^(r-1)) >>> r, 0, 255) (round half up); for r <= 0, acc << -r with
// saturation. The clamp at 0 is the ReLU. The generator clamps r to [-8, W]: beyond either end
// the result no longer changes, so an 8-bit signed shift suffices.
module potnet_requant #(
    parameter W = 32
) (
    input  wire [W-1:0] acc,
    input  wire [7:0]   shift,
    output reg  [7:0]   q
);
    wire              right = !shift[7] && shift != 8'd0;
    wire [7:0]        n = right ? shift : -shift;
    wire signed [W:0] wide = {acc[W-1], acc};
    wire signed [W:0] half = right ? ({{W{1'b0}}, 1'b1} << (n - 8'd1)) : {(W+1){1'b0}};
    wire signed [W:0] rounded = (wide + half) >>> n;
    wire [W-1:0]      limit = {{(W-8){1'b0}}, 8'hff >> n[2:0]};

    always @* begin
        if (right) begin
            if (rounded[W]) q = 8'd0;
            else if (rounded[W-1:8] != {(W-8){1'b0}}) q = 8'hff;
            else q = rounded[7:0];
        end else begin
            if (acc[W-1] || acc == {W{1'b0}}) q = 8'd0;
            else if (n >= 8'd8 || acc > limit) q = 8'hff;
            else q = acc[7:0] << n[2:0];
        end
    end
endmodule
