// The address unit: counters that walk a pass's output positions (row-major; a pool also walks its
// channels), a tap table read per step, and per lane the bank and in-bank address of the tap and
// whether it lies in the zero padding. The tap table (one word per pass and step, the same for every
// position) holds per lane {valid, ky, kx, bank, offset}: the tap's kernel row and column, its bank,
// and its in-bank address relative to that of the window's corner (oy*stride, ox*stride), modulo
// 2^BW. The counters hold the corner (oys, oxs) and its in-bank address (pbase: the channel group's
// start for a pool, + oys*W + oxs), all zero at a pass's start, so they need no pass-specific reset
// value. Per lane: address = pbase + offset, bank = tap bank + pool channel bank (one of the two is
// always 0), and the tap is in the map when 0 <= oy0 + ky < H and 0 <= ox0 + kx < W, where
// (oy0, ox0) = (oys - pad, oxs - pad) is the window's origin, computed once for all lanes.
//
// Timing follows the core's pipeline: the counters and the ROM address belong to the step issued
// in this cycle (I); the lane outputs belong to the step issued one cycle earlier (R), when its tap
// word arrives. wbase and cbank give where the issued step's results go: the in-bank address of the
// position (+ group * positions for a weighted layer, whose PE j writes bank j) and a pool's bank.
module potnet_address_unit #(
    parameter P = 1,
    parameter L = 1,
    parameter BW = 1,
    parameter BKW = 1,
    parameter DW = 2,
    parameter KW = 1,
    parameter TIW = 1
) (
    input  wire                          clk,
    input  wire                          issue,
    input  wire                          step_last,
    input  wire                          group_last,
    input  wire [TIW-1:0]                t_base,
    input  wire [DW-1:0]                 in_h,
    input  wire [DW-1:0]                 in_w,
    input  wire [DW-1:0]                 stride,
    input  wire [DW-1:0]                 pad,
    input  wire [DW-1:0]                 last_ox,
    input  wire [DW-1:0]                 last_oy,
    input  wire [BW-1:0]                 col_step,
    input  wire [BW-1:0]                 row_step,
    input  wire [BW-1:0]                 n_in,
    input  wire [BW-1:0]                 n_out,
    output wire [TIW-1:0]                t_addr,
    output wire [BW-1:0]                 wbase,
    output wire [BKW-1:0]                cbank,
    input  wire [L*(1+2*KW+BKW+BW)-1:0]  t_word,
    output wire [L-1:0]                  in_range,
    output wire [L-1:0]                  in_map,
    output wire [L*BKW-1:0]              rbank,
    output wire [L*BW-1:0]               raddr
);
    localparam TW = 1 + 2*KW + BKW + BW;
    localparam integer LAST_BANK_I = P - 1;
    localparam [BKW-1:0] LAST_BANK = LAST_BANK_I[BKW-1:0];

    // ---- I: counters ----
    reg [TIW-1:0] t_off = {TIW{1'b0}};
    reg [BW-1:0]  pbase = {BW{1'b0}}, rowbase = {BW{1'b0}};
    wire [DW-1:0] oxs, oys;
    wire [BW-1:0] cin;
    wire next_col, next_row, next_channel;
    localparam [BW-1:0] ONE = 1;
    potnet_positions #(.P(P), .BW(BW), .BKW(BKW), .DW(DW)) u_positions (
        .clk(clk), .clear(!issue), .step(issue && step_last), .group_last(group_last), .stride(stride),
        .ox_step(stride), .col_count(ONE), .last_count(ONE), .last_ox(last_ox), .last_oy(last_oy), .n_in(n_in), .n_out(n_out), .oxs(oxs), .oys(oys),
        .next_col(next_col), .next_row(next_row), .next_channel(next_channel),
        .wbase(wbase), .cbank(cbank), .cin(cin));
    // The next channel's start in the source, as potnet_positions moves cin to it.
    wire [BW-1:0] cin_next = cbank == LAST_BANK ? cin + n_in : cin;

    assign t_addr = t_base + t_off;
    always @(posedge clk) begin
        if (!issue || step_last) t_off <= {TIW{1'b0}};
        else t_off <= t_off + 1'b1;
        if (!issue) begin
            pbase <= {BW{1'b0}}; rowbase <= {BW{1'b0}};
        end else if (next_col) begin
            pbase <= pbase + col_step;
        end else if (next_row) begin
            rowbase <= rowbase + row_step;
            pbase <= rowbase + row_step;
        end else if (next_channel) begin
            rowbase <= cin_next;
            pbase <= cin_next;
        end
    end

    // ---- R: the tap word arrives; per lane, what to read ----
    // The window's origin (signed): the corner less the padding, once for all lanes.
    reg [DW-1:0]  ox0 = {DW{1'b0}}, oy0 = {DW{1'b0}};
    reg [BW-1:0]  pbase1 = {BW{1'b0}};
    reg [BKW-1:0] cbank1 = {BKW{1'b0}};
    always @(posedge clk) begin
        ox0 <= oxs - pad; oy0 <= oys - pad; pbase1 <= pbase; cbank1 <= cbank;
    end

    genvar l;
    generate
        for (l = 0; l < L; l = l + 1) begin : g_lane
            wire [TW-1:0] e = t_word[l*TW +: TW];
            wire [KW-1:0] ky = e[BW+BKW+KW +: KW];
            wire [KW-1:0] kx = e[BW+BKW +: KW];
            wire [DW-1:0] iy = oy0 + {{(DW-KW){1'b0}}, ky};
            wire [DW-1:0] ix = ox0 + {{(DW-KW){1'b0}}, kx};
            assign in_range[l] = e[TW-1];
            assign in_map[l] = e[TW-1] && !iy[DW-1] && iy < in_h && !ix[DW-1] && ix < in_w;
            assign rbank[l*BKW +: BKW] = e[BW +: BKW] + cbank1;
            assign raddr[l*BW +: BW] = pbase1 + e[BW-1:0];
        end
    endgenerate
endmodule
