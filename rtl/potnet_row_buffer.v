// The row buffer of the row-buffer dataflow: P banks of 2^RBW bytes, each holding k input rows of
// its channels (bank = channel mod P; a dense layer's whole input, a pool's one channel), written
// by the row loads (one byte per bank per cycle, one address for all banks) and read by the L lanes,
// each from the bank its tap names. A lane that reads nothing (padding, idle) gets 0 in the next
// cycle, as a padding tap must contribute. Small enough for registers: the L read ports are
// multiplexers, not copies of the data.
module potnet_row_buffer #(
    parameter P = 1,
    parameter L = 1,
    parameter RBW = 1,
    parameter BKW = 1
) (
    input  wire             clk,
    input  wire [P-1:0]     we,
    input  wire [RBW-1:0]   waddr,
    input  wire [P*8-1:0]   wdata,
    input  wire [L-1:0]     re,
    input  wire [L*BKW-1:0] rbank,
    input  wire [L*RBW-1:0] raddr,
    output reg  [L*8-1:0]   rdata
);
    reg [7:0] mem [0:(1 << (BKW + RBW)) - 1];
    initial rdata = {(L*8){1'b0}};

    genvar j, l;
    generate
        for (j = 0; j < P; j = j + 1) begin : g_write
            localparam [BKW-1:0] J = j;
            always @(posedge clk) begin
                if (we[j]) mem[{J, waddr}] <= wdata[j*8 +: 8];
            end
        end
        for (l = 0; l < L; l = l + 1) begin : g_read
            always @(posedge clk) begin
                rdata[l*8 +: 8] <= re[l] ? mem[{rbank[l*BKW +: BKW], raddr[l*RBW +: RBW]}] : 8'd0;
            end
        end
    endgenerate
endmodule
