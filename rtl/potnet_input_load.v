// The input stream's side of LOAD, shared by the cores: one pixel per beat (CHW order) into buffer
// 0, element (c, n) to bank c mod P at (c div P) * N + n (BankLayout), from counters; a tlast that
// is not on the image's last byte sets frame_error (until reset). done marks the last beat.
module potnet_input_load #(
    parameter P = 1,
    parameter AW = 1,
    parameter BW = 1,
    parameter BKW = 1,
    parameter [AW-1:0] LAST_IN = 0,
    parameter [BW-1:0] IN_N = 1,
    parameter [BW-1:0] LAST_IN_N = 0
) (
    input  wire          clk,
    input  wire          rst,
    input  wire          loading,
    input  wire          s_axis_tvalid,
    input  wire          s_axis_tlast,
    output wire          hs,
    output wire          done,
    output wire          started,
    output reg           frame_error,
    output wire [P-1:0]  bank_en,
    output wire [BW-1:0] addr
);
    localparam integer LAST_BANK_I = P - 1;
    localparam [BKW-1:0] LAST_BANK = LAST_BANK_I[BKW-1:0];

    reg [AW-1:0]  count = {AW{1'b0}};
    reg [BW-1:0]  n = {BW{1'b0}}, cbase = {BW{1'b0}};
    reg [BKW-1:0] bank = {BKW{1'b0}};
    initial frame_error = 1'b0;

    assign hs = loading && s_axis_tvalid;
    assign done = hs && count == LAST_IN;
    assign started = count != {AW{1'b0}};
    assign addr = cbase + n;
    genvar j;
    generate
        for (j = 0; j < P; j = j + 1) begin : g_bank
            localparam [BKW-1:0] J = j;
            assign bank_en[j] = bank == J;
        end
    endgenerate

    always @(posedge clk) begin
        if (rst) begin
            count <= {AW{1'b0}};
            n <= {BW{1'b0}}; bank <= {BKW{1'b0}}; cbase <= {BW{1'b0}};
            frame_error <= 1'b0;
        end else if (hs) begin
            if (s_axis_tlast != (count == LAST_IN)) frame_error <= 1'b1;
            if (count == LAST_IN) begin
                count <= {AW{1'b0}};
                n <= {BW{1'b0}}; bank <= {BKW{1'b0}}; cbase <= {BW{1'b0}};
            end else begin
                count <= count + 1'b1;
                if (n != LAST_IN_N) begin
                    n <= n + 1'b1;
                end else begin
                    n <= {BW{1'b0}};
                    bank <= bank == LAST_BANK ? {BKW{1'b0}} : bank + 1'b1;
                    if (bank == LAST_BANK) cbase <= cbase + IN_N;
                end
            end
        end
    end
endmodule
