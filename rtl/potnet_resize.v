// An unsigned value in another width: zero-extended when OUT is wider, its low OUT bits when it is
// narrower (callers use it where the value is known to fit, or only its low bits matter). Generated
// widths differ per design, so either case arises for the same wire.
module potnet_resize #(
    parameter IN = 1,
    parameter OUT = 1
) (
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [IN-1:0]  a,
    /* verilator lint_on UNUSEDSIGNAL */
    output wire [OUT-1:0] y
);
    generate
        if (OUT > IN) begin : g_pad
            assign y = {{(OUT-IN){1'b0}}, a};
        end else begin : g_cut
            assign y = a[OUT-1:0];
        end
    endgenerate
endmodule
