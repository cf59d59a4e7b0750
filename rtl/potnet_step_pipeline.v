// The steps' pipeline after their issue, shared by the cores of every dataflow: the tags that follow
// a step issued in cycle t (I) through R (t+1), X (t+2), M (t+3) and W (t+4); at X the lanes register
// their operands and a group's first step reads the parameter ROMs; at M the PEs accumulate (bias
// on the first step) and the pool unit folds its lanes; at W a group's last step writes its
// results (requantised bytes: PE j to bank j, a pool to its channel's bank, at wb4; or the logits).
// Then the output stream: the logits as 32-bit beats, then the class (argmax, lowest index on ties)
// with tlast; done marks the class beat's handshake.
module potnet_step_pipeline #(
    parameter P = 1,
    parameter L = 1,
    parameter ACC_W = 16,
    parameter BW = 1,
    parameter BKW = 1,
    parameter BIW = 1,
    parameter OW = 1,
    parameter POOL_W = 16,
    parameter [OW-1:0] LAST_OUT = 0
) (
    input  wire               clk,
    input  wire               rst,
    // the step issued in this cycle (I)
    input  wire               issue,
    input  wire               first,
    input  wire               step_last,
    input  wire [P-1:0]       pe_ok,
    input  wire [BIW-1:0]     b_off,
    input  wire [BW-1:0]      wbase,
    input  wire [BKW-1:0]     cbank,
    input  wire [OW-1:0]      logit_base,
    // its lanes' busy flags, at R
    input  wire [L-1:0]       in_range,
    // the pass
    input  wire [1:0]         kind,
    input  wire [BIW-1:0]     b_base,
    input  wire [7:0]         pool_shift,
    // tags the cores' R and X stages use
    output reg                v1,
    output reg                v3,
    output reg  [P-1:0]       ok1,
    output wire               wv,
    // PE array
    input  wire [L*8-1:0]     lane_x,
    output reg  [L-1:0]       lane_ok,
    output wire [P-1:0]       pe_load,
    output wire [P-1:0]       b_en,
    output wire [BIW-1:0]     b_addr,
    output wire               acc_first,
    output wire [P-1:0]       acc_en,
    input  wire [P*ACC_W-1:0] pe_acc,
    input  wire [P*8-1:0]     pe_q,
    // writes to the target buffer, and the logits
    output wire [P-1:0]       wr_en,
    output wire [BW-1:0]      wr_addr,
    output wire [P*8-1:0]     wr_data,
    output wire [P-1:0]       logit_we,
    // output stream
    input  wire               out_valid,
    output wire [31:0]        m_axis_tdata,
    output wire               m_axis_tvalid,
    input  wire               m_axis_tready,
    output wire               m_axis_tlast,
    output wire               done
);
    localparam [1:0] K_HIDDEN = 2'd0, K_LOGITS = 2'd1, K_MAX = 2'd2, K_AVG = 2'd3;
    wire compute = !kind[1];
    wire pooling = kind == K_MAX || kind == K_AVG;

    reg v2 = 1'b0, v4 = 1'b0;
    reg [P-1:0] ok2 = {P{1'b0}};
    reg first1 = 1'b0, first2 = 1'b0, first3 = 1'b0;
    reg last1 = 1'b0, last2 = 1'b0, last3 = 1'b0, last4 = 1'b0;
    reg [P-1:0] ok3 = {P{1'b0}}, ok4 = {P{1'b0}};
    reg [BIW-1:0] b_off1 = {BIW{1'b0}}, b_off2 = {BIW{1'b0}};
    reg [BW-1:0] wb1 = {BW{1'b0}}, wb2 = {BW{1'b0}}, wb3 = {BW{1'b0}}, wb4 = {BW{1'b0}};
    reg [BKW-1:0] bk1 = {BKW{1'b0}}, bk2 = {BKW{1'b0}}, bk3 = {BKW{1'b0}}, bk4 = {BKW{1'b0}};
    reg [OW-1:0] lg1 = {OW{1'b0}}, lg2 = {OW{1'b0}}, lg3 = {OW{1'b0}}, lg4 = {OW{1'b0}};
    initial begin
        v1 = 1'b0; v3 = 1'b0;
        ok1 = {P{1'b0}};
        lane_ok = {L{1'b0}};
    end

    always @(posedge clk) begin
        if (rst) begin
            v1 <= 1'b0; v2 <= 1'b0; v3 <= 1'b0; v4 <= 1'b0;
        end else begin
            v1 <= issue; v2 <= v1; v3 <= v2; v4 <= v3;
        end
        first1 <= first; first2 <= first1; first3 <= first2;
        last1 <= step_last; last2 <= last1; last3 <= last2; last4 <= last3;
        ok1 <= pe_ok; ok2 <= ok1; ok3 <= ok2; ok4 <= ok3;
        b_off1 <= b_off; b_off2 <= b_off1;
        wb1 <= wbase; wb2 <= wb1; wb3 <= wb2; wb4 <= wb3;
        bk1 <= cbank; bk2 <= bk1; bk3 <= bk2; bk4 <= bk3;
        lg1 <= logit_base; lg2 <= lg1; lg3 <= lg2; lg4 <= lg3;
        if (v1) lane_ok <= in_range;
    end

    // ---- X: lanes register their operands; parameter ROM read on a group's first step ----
    assign pe_load = {P{v2 && compute}} & ok2;
    assign b_en = {P{v2 && compute && first2}} & ok2;
    assign b_addr = b_base + b_off2;

    // ---- M: accumulate ----
    assign acc_first = first3;
    assign acc_en = {P{v3 && compute}} & ok3;
    wire [7:0] pool_q;
    potnet_pool #(.L(L), .W(POOL_W)) u_pool (
        .clk(clk), .load(v2 && pooling), .x(lane_x), .update(v3 && pooling), .first(first3),
        .average(kind == K_AVG), .shift(pool_shift), .q(pool_q));

    // ---- W: write results ----
    assign wv = v4 && last4;
    assign wr_addr = wb4;
    reg [ACC_W-1:0] logits [0:(1 << OW) - 1];
    genvar j;
    generate
        for (j = 0; j < P; j = j + 1) begin : g_write
            localparam [BKW-1:0] JB = j;
            // Logit index group*P + j; PEs past the logits (j mod 2^OW wraps) never write one.
            localparam integer JO_I = j % (1 << OW);
            localparam [OW-1:0] JO = JO_I[OW-1:0];
            assign wr_en[j] = wv && (kind == K_HIDDEN ? ok4[j] : pooling && bk4 == JB);
            assign wr_data[j*8 +: 8] = pooling ? pool_q : pe_q[j*8 +: 8];
            assign logit_we[j] = wv && kind == K_LOGITS && ok4[j];
            always @(posedge clk) begin
                if (logit_we[j]) logits[lg4 + JO] <= pe_acc[j*ACC_W +: ACC_W];
            end
        end
    endgenerate

    // ---- output stream: the logits, then the class ----
    reg [OW-1:0] o = {OW{1'b0}};
    reg cls = 1'b0;
    reg [OW-1:0] best = {OW{1'b0}};
    reg [ACC_W-1:0] best_value = {ACC_W{1'b0}};
    wire [ACC_W-1:0] logit = logits[o];
    wire out_hs = out_valid && m_axis_tready;
    wire better = o == {OW{1'b0}} || $signed(logit) > $signed(best_value);
    wire [31:0] logit32;
    generate
        if (ACC_W < 32) begin : g_extend
            assign logit32 = {{(32-ACC_W){logit[ACC_W-1]}}, logit};
        end else begin : g_same
            assign logit32 = logit;
        end
    endgenerate
    assign m_axis_tvalid = out_valid;
    assign m_axis_tlast = cls;
    assign m_axis_tdata = cls ? {{(32-OW){1'b0}}, best} : logit32;
    assign done = out_hs && cls;

    always @(posedge clk) begin
        if (!out_valid) begin
            o <= {OW{1'b0}};
            cls <= 1'b0;
        end else if (out_hs && !cls) begin
            if (better) begin
                best <= o;
                best_value <= logit;
            end
            if (o == LAST_OUT) cls <= 1'b1;
            else o <= o + 1'b1;
        end
    end
endmodule
