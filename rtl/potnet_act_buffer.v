// An activation buffer of u8 values: L registered read ports (one per lane) and P write ports
// (one per PE). A disabled read port returns 0, which is what a padding tap must contribute.
module potnet_act_buffer #(
    parameter L = 1,
    parameter P = 1,
    parameter AW = 1
) (
    input  wire           clk,
    input  wire [L-1:0]   re,
    input  wire [L*AW-1:0] raddr,
    output reg  [L*8-1:0] rdata,
    input  wire [P-1:0]   we,
    input  wire [P*AW-1:0] waddr,
    input  wire [P*8-1:0] wdata
);
    reg [7:0] mem [0:(1 << AW) - 1];
    integer i;

    always @(posedge clk) begin
        for (i = 0; i < L; i = i + 1) begin
            rdata[i*8 +: 8] <= re[i] ? mem[raddr[i*AW +: AW]] : 8'd0;
        end
        for (i = 0; i < P; i = i + 1) begin
            if (we[i]) mem[waddr[i*AW +: AW]] <= wdata[i*8 +: 8];
        end
    end
endmodule
