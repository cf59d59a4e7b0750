// A synchronous ROM whose words a pass needs at every position, held in a register file after its
// first: a read at the pass's first position comes from the ROM (rom_en), and the word is written
// into the register file when it arrives, one cycle later (rf_we, at the read's address rf_waddr);
// a read at a later position comes from the register file (rf_re). The register file's word (rf_wdata,
// FWIDTH bits) is the ROM's word as its user packs it (the bits the holding passes need); the user
// picks rom_q or rf_q by the last read's source. Used for the PEs' broadcast weights
// (potnet_pe_weights) and for the tap index of a zero-skipping design. HOLD = 0 builds the ROM alone,
// for a design that holds nothing.
module potnet_held_rom #(
    parameter WIDTH = 4,
    parameter FWIDTH = 4,
    parameter AW = 1,
    parameter FW = 1,
    parameter HOLD = 1,
    parameter FILE = "rom.hex"
) (
    input  wire              clk,
    input  wire              rom_en,
    input  wire [AW-1:0]     rom_addr,
    output wire [WIDTH-1:0]  rom_q,
    input  wire              rf_re,
    input  wire [FW-1:0]     rf_raddr,
    input  wire              rf_we,
    input  wire [FW-1:0]     rf_waddr,
    input  wire [FWIDTH-1:0] rf_wdata,
    output wire [FWIDTH-1:0] rf_q
);
    potnet_rom #(.WIDTH(WIDTH), .AW(AW), .FILE(FILE)) u_rom (.clk(clk), .en(rom_en), .addr(rom_addr), .q(rom_q));

    generate
        if (HOLD != 0) begin : g_hold
            reg [FWIDTH-1:0] rf [0:(1 << FW) - 1];
            reg [FWIDTH-1:0] q = {FWIDTH{1'b0}};
            // A pass with one word per position writes it in the cycle the next position may read
            // it: the read takes the word being written.
            always @(posedge clk) begin
                if (rf_we) rf[rf_waddr] <= rf_wdata;
                if (rf_re) q <= rf_we && rf_waddr == rf_raddr ? rf_wdata : rf[rf_raddr];
            end
            assign rf_q = q;
        end else begin : g_rom
            /* verilator lint_off UNUSEDSIGNAL */
            wire unused = &{1'b0, rf_re, rf_raddr, rf_we, rf_waddr, rf_wdata};
            /* verilator lint_on UNUSEDSIGNAL */
            assign rf_q = {FWIDTH{1'b0}};
        end
    endgenerate
endmodule
