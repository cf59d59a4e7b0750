// The output-position counters both address units share: they walk a pass's issue positions
// row-major (a pool also walks its channels, bank cbank, channel group start cin in the source and
// cout in the target), with the window's corner (oxs, oys) = (ox*stride, oy*stride), and where the
// issued step's results go (wbase: the position's in-bank address, + group * N_out for a weighted
// layer, whose PE j writes bank j). An issue position is one output position, or a tile of L
// output columns when the lanes are columns: then oxs steps by ox_step = L * stride, and the write
// address by col_count = L output positions (last_count, the last tile's columns, at a row's end). They advance at a group's last step (step) and rest at zero
// when cleared, so they need no pass-specific reset value. next_col, next_row and next_channel say
// which way they move, for the counters the address units keep beside them.
module potnet_positions #(
    parameter P = 1,
    parameter BW = 1,
    parameter BKW = 1,
    parameter DW = 2
) (
    input  wire           clk,
    input  wire           clear,
    input  wire           step,
    input  wire           group_last,
    input  wire [DW-1:0]  stride,
    input  wire [DW-1:0]  ox_step,
    input  wire [BW-1:0]  col_count,
    input  wire [BW-1:0]  last_count,
    input  wire [DW-1:0]  last_ox,
    input  wire [DW-1:0]  last_oy,
    input  wire [BW-1:0]  n_in,
    input  wire [BW-1:0]  n_out,
    output reg  [DW-1:0]  oxs,
    output reg  [DW-1:0]  oys,
    output wire           next_col,
    output wire           next_row,
    output wire           next_channel,
    output reg  [BW-1:0]  wbase,
    output reg  [BKW-1:0] cbank,
    output reg  [BW-1:0]  cin
);
    localparam integer LAST_BANK_I = P - 1;
    localparam [BKW-1:0] LAST_BANK = LAST_BANK_I[BKW-1:0];

    reg [BW-1:0] cout = {BW{1'b0}}, wpos = {BW{1'b0}};
    initial begin
        oxs = {DW{1'b0}};
        oys = {DW{1'b0}};
        wbase = {BW{1'b0}};
        cbank = {BKW{1'b0}};
        cin = {BW{1'b0}};
    end

    wire last_col = oxs == last_ox;
    wire last_row = oys == last_oy;
    wire position = step && group_last;
    assign next_col = position && !last_col;
    assign next_row = position && last_col && !last_row;
    assign next_channel = position && last_col && last_row;
    wire wrap = cbank == LAST_BANK;
    wire [BW-1:0] cin_next = wrap ? cin + n_in : cin;
    wire [BW-1:0] cout_next = wrap ? cout + n_out : cout;
    wire [BW-1:0] wpos_next = last_col && last_row ? cout_next : wpos + (last_col ? last_count : col_count);

    always @(posedge clk) begin
        if (clear) begin
            oxs <= {DW{1'b0}}; oys <= {DW{1'b0}};
            cin <= {BW{1'b0}}; cout <= {BW{1'b0}};
            wpos <= {BW{1'b0}}; wbase <= {BW{1'b0}}; cbank <= {BKW{1'b0}};
        end else if (step && !group_last) begin
            wbase <= wbase + n_out;
        end else if (position) begin
            wpos <= wpos_next;
            wbase <= wpos_next;
            if (!last_col) begin
                oxs <= oxs + ox_step;
            end else if (!last_row) begin
                oxs <= {DW{1'b0}};
                oys <= oys + stride;
            end else begin
                // The next channel (pools; a weighted pass ends here).
                oxs <= {DW{1'b0}};
                oys <= {DW{1'b0}};
                cbank <= wrap ? {BKW{1'b0}} : cbank + 1'b1;
                cin <= cin_next;
                cout <= cout_next;
            end
        end
    end
endmodule
