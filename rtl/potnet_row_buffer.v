// The row buffer of the row-buffer dataflow: P banks of 2^RBW bytes, each holding k input rows of
// its channels (bank = channel mod P; a dense layer's whole input, a pool's one channel), written
// by the row loads (one byte per bank per cycle, one address for all banks) and read by the L lanes,
// each from the bank its tap names. A lane that reads nothing (padding, idle) gets 0 in the next
// cycle, as a padding tap must contribute. Each bank is its own memory with one write port and a
// registered read port per lane (enabled only for the bank the lane reads), so that synthesis can
// map it to distributed RAM with replicated read ports instead of flip-flops and wide multiplexers;
// the bank's byte is picked after the read register.
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
    output wire [L*8-1:0]   rdata
);
    // Per lane, every bank's read register: lane l's byte of bank j at [(l*P + j)*8 +: 8].
    wire [L*P*8-1:0] q;

    genvar j, l;
    generate
        for (j = 0; j < P; j = j + 1) begin : g_bank
            localparam [BKW-1:0] J = j;
            reg [7:0] mem [0:(1 << RBW) - 1];
            always @(posedge clk) begin
                if (we[j]) mem[waddr] <= wdata[j*8 +: 8];
            end
            for (l = 0; l < L; l = l + 1) begin : g_port
                reg [7:0] r = 8'd0;
                always @(posedge clk) begin
                    if (re[l] && rbank[l*BKW +: BKW] == J) r <= mem[raddr[l*RBW +: RBW]];
                end
                assign q[((l*P) + j)*8 +: 8] = r;
            end
        end
        for (l = 0; l < L; l = l + 1) begin : g_read
            reg           on = 1'b0;
            reg [BKW-1:0] bank = {BKW{1'b0}};
            always @(posedge clk) begin
                on <= re[l];
                bank <= rbank[l*BKW +: BKW];
            end
            wire [P*8-1:0] lane_q = q[l*P*8 +: P*8];
            assign rdata[l*8 +: 8] = on ? lane_q[bank*8 +: 8] : 8'd0;
        end
    endgenerate
endmodule
