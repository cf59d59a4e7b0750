// One bank memory of an activation buffer: bytes, one write port and one registered read port,
// written so that synthesis infers block RAM (or LUT RAM when it is small). The schedule never
// reads and writes one memory in the same cycle, so read-during-write behaviour does not matter.
module potnet_ram #(
    parameter AW = 1
) (
    input  wire          clk,
    input  wire          we,
    input  wire [AW-1:0] waddr,
    input  wire [7:0]    wdata,
    input  wire          re,
    input  wire [AW-1:0] raddr,
    output reg  [7:0]    q
);
    reg [7:0] mem [0:(1 << AW) - 1];

    always @(posedge clk) begin
        if (we) mem[waddr] <= wdata;
        if (re) q <= mem[raddr];
    end
endmodule
