// The testbench of a generated accelerator (module potnet_top). It streams images from a file
// (one hex byte per line, IN_SIZE per image), takes the output beats, compares each image's logits and class with an expected file (N_OUT + 1
// hex words per image), and writes per image: cycles from the first input beat to the class beat
// (both included), the class and the logits; then the event counters (potnet_counters.vh, generated).
// Plusargs: +n=<images> +images=<file> +expected=<file> +outputs=<file>, and to exercise the
// stream interface: +gaps=<percent> (the bench withholds tvalid before a beat in that share of
// cycles), +stall=<percent> (it drops tready in that share), +seed=<n> (their $random seed),
// +bad_last=<k> (image 0 carries tlast on byte k instead of its last byte, once), +reset_at=<cycle>
// (reset for two cycles at that cycle after the first reset, once, then stream every image again
// from the first). Each image's line also gives its stalls: the counted cycles in which the bench
// held the stream (a gap inside the image, or an output beat refused), which its cycles include.
// Inputs are driven on the falling edge; a handshake at the next rising edge is decided from
// values that are stable by then, so the bench has no races in any simulator.
module potnet_tb #(
    parameter IN_SIZE = 1,
    parameter N_OUT = 2,
    parameter TIMEOUT = 1000000
) ();
    reg clk = 1'b0;
    reg rst = 1'b1;
    reg [7:0] s_tdata = 8'd0;
    reg s_tvalid = 1'b0;
    reg s_tlast = 1'b0;
    reg m_ready = 1'b1;
    wire s_tready;
    wire [31:0] m_tdata;
    wire m_tvalid;
    wire m_tlast;
    wire frame_error;

    potnet_top dut (
        .clk(clk), .rst(rst),
        .s_axis_tdata(s_tdata), .s_axis_tvalid(s_tvalid), .s_axis_tready(s_tready), .s_axis_tlast(s_tlast),
        .m_axis_tdata(m_tdata), .m_axis_tvalid(m_tvalid), .m_axis_tready(m_ready), .m_axis_tlast(m_tlast),
        .frame_error(frame_error));

    always #5 clk = ~clk;

    integer n, fin, fexp, fout, r, k;
    integer cycle, idle, image_in, byte_in, image_out, beat, start, mismatches;
    integer gaps, stall, seed, bad_last, reset_at, hold, stalls;
    reg pending;
    reg [31:0] value, expected;
    reg [8*1024-1:0] images_file, expected_file, outputs_file;
    reg [31:0] got [0:N_OUT];

    initial begin
        if (!$value$plusargs("n=%d", n)) n = 1;
        if (!$value$plusargs("images=%s", images_file)) images_file = "images.hex";
        if (!$value$plusargs("expected=%s", expected_file)) expected_file = "expected.hex";
        if (!$value$plusargs("outputs=%s", outputs_file)) outputs_file = "outputs.txt";
        if (!$value$plusargs("gaps=%d", gaps)) gaps = 0;
        if (!$value$plusargs("stall=%d", stall)) stall = 0;
        if (!$value$plusargs("seed=%d", seed)) seed = 1;
        if (!$value$plusargs("bad_last=%d", bad_last)) bad_last = -1;
        if (!$value$plusargs("reset_at=%d", reset_at)) reset_at = -1;
        fin = 0; fexp = 0; fout = 0;
        restart;
        hold = 0;
        repeat (3) @(negedge clk);
        rst = 1'b0;
    end

    // (Re)open the files and start from the first image, as after a reset.
    task restart;
        begin
            if (fin != 0) $fclose(fin);
            if (fexp != 0) $fclose(fexp);
            if (fout != 0) $fclose(fout);
            fin = $fopen(images_file, "r");
            fexp = $fopen(expected_file, "r");
            fout = $fopen(outputs_file, "w");
            if (fin == 0 || fexp == 0 || fout == 0) begin
                $display("potnet-tb: error: cannot open the image, expected or output file");
                $finish;
            end
            cycle = 0; idle = 0; image_in = 0; byte_in = 0; image_out = 0; beat = 0; start = 0;
            mismatches = 0; stalls = 0; pending = 1'b0;
            s_tvalid = 1'b0; s_tlast = 1'b0; m_ready = 1'b1;
        end
    endtask

    // True in about <percent> % of calls.
    function chance(input integer percent);
        reg [31:0] draw;
        begin
            draw = $random(seed);
            chance = percent > 0 && draw % 100 < percent;
        end
    endfunction

    task next_byte;
        begin
            r = $fscanf(fin, "%h\n", value);
            if (r != 1) begin
                $display("potnet-tb: error: the image file ends before image %0d", image_in);
                $finish;
            end
            s_tdata = value[7:0];
            s_tlast = bad_last >= 0 && image_in == 0 ? byte_in == bad_last : byte_in == IN_SIZE - 1;
            if (bad_last >= 0 && byte_in == IN_SIZE - 1) bad_last = -1;
            s_tvalid = 1'b1;
        end
    endtask

    task finish_image;
        begin
            $fwrite(fout, "image %0d cycles %0d stalls %0d class %0d logits", image_out, cycle - start + 1, stalls, got[N_OUT]);
            stalls = 0;
            for (k = 0; k < N_OUT; k = k + 1) $fwrite(fout, " %0d", $signed(got[k]));
            $fwrite(fout, "\n");
            for (k = 0; k <= N_OUT; k = k + 1) begin
                r = $fscanf(fexp, "%h\n", expected);
                if (r == 1 && expected != got[k]) begin
                    mismatches = mismatches + 1;
                    if (mismatches <= 20) begin
                        if (k == N_OUT) $display("potnet-tb: mismatch: image %0d class %0d, expected %0d", image_out, got[k], expected);
                        else $display("potnet-tb: mismatch: image %0d logit %0d = %0d, expected %0d", image_out, k, $signed(got[k]), $signed(expected));
                    end
                end
            end
            image_out = image_out + 1;
        end
    endtask

    task finish_run;
        begin
            // The class beat is taken at the next rising edge; count it before reading the counters.
            @(posedge clk);
            #1;
            // One line per event counter (generated from EventCounts.Counters).
`include "potnet_counters.vh"
            $fwrite(fout, "frame_error %0d\n", frame_error);
            $fwrite(fout, "done %0d\n", image_out);
            $fclose(fout);
            $display("potnet-tb: %0d images, %0d mismatches, %0d cycles", image_out, mismatches, dut.u_core.ev_cycles);
            $finish;
        end
    endtask

    always @(negedge clk) begin
        if (hold > 0) begin
            hold = hold - 1;
            if (hold == 0) rst = 1'b0;
        end else if (!rst && reset_at >= 0 && cycle == reset_at) begin
            reset_at = -1;
            rst = 1'b1;
            hold = 2;
            restart;
        end else if (!rst) begin
            cycle = cycle + 1;
            // The beat offered at the last falling edge was taken at the rising edge since.
            if (pending) begin
                byte_in = byte_in + 1;
                if (byte_in == IN_SIZE) begin
                    byte_in = 0;
                    image_in = image_in + 1;
                end
                s_tvalid = 1'b0;
            end
            if (image_in < n && !s_tvalid && !chance(gaps)) next_byte;
            pending = s_tvalid && s_tready;
            if (pending && byte_in == 0) start = cycle;
            m_ready = !chance(stall);
            if ((byte_in != 0 && !s_tvalid) || (m_tvalid && !m_ready)) stalls = stalls + 1;

            idle = idle + 1;
            if (m_tvalid && m_ready) begin
                idle = 0;
                got[beat] = m_tdata;
                if (m_tlast != (beat == N_OUT)) begin
                    $display("potnet-tb: error: tlast on beat %0d of image %0d", beat, image_out);
                    $finish;
                end
                if (beat == N_OUT) begin
                    beat = 0;
                    finish_image;
                    if (image_out == n) finish_run;
                end else begin
                    beat = beat + 1;
                end
            end
            if (idle > TIMEOUT) begin
                $display("potnet-tb: error: no output for %0d cycles (image %0d)", TIMEOUT, image_out);
                $finish;
            end
        end
    end
endmodule
