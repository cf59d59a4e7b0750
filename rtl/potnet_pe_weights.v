// Where a PE gets its one code per step in the row-buffer dataflow's passes whose lanes are columns
// (it broadcasts the code to its L lanes): its broadcast weight ROM (one code wide, in issue order)
// and its weight register file (potnet_held_rom). A pass that needs its weights at more than one
// tile reads each code from the ROM at the first tile and writes it into the register file (when it
// arrives, X), and reads the register file at every later tile (sel), so the ROM is read once per
// weight. (A module of its own so that gate-level power reports it as the weight register files.)
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
    wire [B-1:0] rom_q, rf_q;
    potnet_held_rom #(.WIDTH(B), .FWIDTH(B), .AW(WIW), .FW(FIW), .HOLD(1), .FILE(FILE)) u_held (
        .clk(clk), .rom_en(rom_en), .rom_addr(rom_addr), .rom_q(rom_q), .rf_re(rf_re), .rf_raddr(rf_raddr),
        .rf_we(rf_we), .rf_waddr(rf_waddr), .rf_wdata(rom_q), .rf_q(rf_q));
    assign code = sel ? rf_q : rom_q;
endmodule
