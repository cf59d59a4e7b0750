// A synchronous-read ROM initialised from a $readmemh image, as block RAM holds weights and
// tables in FPGA accelerators. The depth is a power of two so that every address is in range.
module potnet_rom #(
    parameter WIDTH = 8,
    parameter AW = 1,
    parameter FILE = "rom.hex"
) (
    input  wire             clk,
    input  wire             en,
    input  wire [AW-1:0]    addr,
    output reg  [WIDTH-1:0] q
);
    reg [WIDTH-1:0] mem [0:(1 << AW) - 1];

    initial begin
        $readmemh(FILE, mem);
        q = {WIDTH{1'b0}};
    end

    always @(posedge clk) begin
        if (en) q <= mem[addr];
    end
endmodule
