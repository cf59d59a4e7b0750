// The two activation buffers (ping-pong) of u8 values, banked by channel: element (c, n) of a
// tensor with N positions per channel lives in bank c mod P at in-bank address (c div P)*N + n, so
// the P PEs of a group, which write channels group*P + j, write one bank each. Each bank is
// replicated once per lane, and the two buffers are the two halves of every memory (address bit
// BW): a pass reads one buffer and writes the other, so each memory takes at most one read and one
// write per cycle, and P x L memories of one write and one read port (block RAM) hold both buffers.
// A write goes to all L copies of its bank; lane l reads copy l of the bank its tap names. A lane
// that reads nothing (padding, idle) returns 0 in the next cycle, as a padding tap must contribute.
module potnet_act_buffer #(
    parameter P = 1,
    parameter L = 1,
    parameter BW = 1,
    parameter BKW = 1
) (
    input  wire             clk,
    input  wire [L-1:0]     re,
    input  wire             rhalf,
    input  wire [L*BKW-1:0] rbank,
    input  wire [L*BW-1:0]  raddr,
    output reg  [L*8-1:0]   rdata,
    input  wire [P-1:0]     we,
    input  wire             whalf,
    input  wire [BW-1:0]    waddr,
    input  wire [P*8-1:0]   wdata
);
    wire [P*L*8-1:0] q;
    reg  [L-1:0]     re_r = {L{1'b0}};
    reg  [L*BKW-1:0] rbank_r = {(L*BKW){1'b0}};

    genvar j, l;
    generate
        for (j = 0; j < P; j = j + 1) begin : g_bank
            localparam [BKW-1:0] J = j;
            for (l = 0; l < L; l = l + 1) begin : g_copy
                potnet_ram #(.AW(BW + 1)) u_ram (
                    .clk(clk), .we(we[j]), .waddr({whalf, waddr}), .wdata(wdata[j*8 +: 8]),
                    .re(re[l] && rbank[l*BKW +: BKW] == J), .raddr({rhalf, raddr[l*BW +: BW]}),
                    .q(q[(j*L + l)*8 +: 8]));
            end
        end
    endgenerate

    always @(posedge clk) begin
        re_r <= re;
        rbank_r <= rbank;
    end

    integer a, b;
    always @* begin
        rdata = {(L*8){1'b0}};
        for (b = 0; b < L; b = b + 1) begin
            for (a = 0; a < P; a = a + 1) begin
                if (re_r[b] && rbank_r[b*BKW +: BKW] == a[BKW-1:0]) rdata[b*8 +: 8] = q[(a*L + b)*8 +: 8];
            end
        end
    end
endmodule
