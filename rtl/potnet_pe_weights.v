// Where a PE gets its one code per step in the row-buffer dataflow's passes whose lanes are columns
// (it broadcasts the code to its L lanes): its broadcast weight ROM (one code wide, in issue order)
// and its weight register file. A pass that needs its weights at more than one tile reads each code
// from the ROM at the first tile and writes it into the register file (when it arrives, X), and
// reads the register file at every later tile (sel), so the ROM is read once per weight.
module potnet_pe_weights #(
    parameter B = 4,
    parameter WIW = 1,
    parameter FIW = 1,
    parameter FILE = "rom.hex"
) (
    input  wire           clk,
    input  wire           rom_en,
    input  wire [WIW-1:0] rom_addr,
    input  wire           rf_re,
    input  wire [FIW-1:0] rf_raddr,
    input  wire           rf_we,
    input  wire [FIW-1:0] rf_waddr,
    input  wire           sel,
    output wire [B-1:0]   code
);
    wire [B-1:0] rom_q;
    potnet_rom #(.WIDTH(B), .AW(WIW), .FILE(FILE)) u_rom (.clk(clk), .en(rom_en), .addr(rom_addr), .q(rom_q));

    reg [B-1:0] rf [0:(1 << FIW) - 1];
    reg [B-1:0] rf_q = {B{1'b0}};
    // A pass with one group of one step writes its only code in the cycle the next tile reads
    // it: the read takes the code being written.
    always @(posedge clk) begin
        if (rf_we) rf[rf_waddr] <= rom_q;
        if (rf_re) rf_q <= rf_we && rf_waddr == rf_raddr ? rom_q : rf[rf_raddr];
    end

    assign code = sel ? rf_q : rom_q;
endmodule
