// A balanced binary adder tree over N W-bit two's complement inputs (combinational), modulo 2^W.
// Level 0 holds the inputs, padded with zeros to N2 = 2^ceil(log2 N); each level adds pairs of the
// one before, so the depth is log2(N2) adders.
module potnet_adder_tree #(
    parameter N = 1,
    parameter W = 32
) (
    input  wire [N*W-1:0] in,
    output wire [W-1:0]   sum
);
    localparam LEVELS = $clog2(N);
    localparam N2 = 1 << LEVELS;

    genvar lv, i;
    generate
        for (lv = 0; lv <= LEVELS; lv = lv + 1) begin : g_level
            wire [W*(N2 >> lv)-1:0] s;
            if (lv == 0) begin : g_leaves
                if (N2 > N) begin : g_pad
                    assign s = {{((N2-N)*W){1'b0}}, in};
                end else begin : g_full
                    assign s = in;
                end
            end else begin : g_sums
                for (i = 0; i < (N2 >> lv); i = i + 1) begin : g_add
                    assign s[i*W +: W] = g_level[lv-1].s[2*i*W +: W] + g_level[lv-1].s[(2*i+1)*W +: W];
                end
            end
        end
    endgenerate
    assign sum = g_level[LEVELS].s;
endmodule
