using System.CommandLine;
using System.Globalization;
using PotNet.Hardware;
using PotNet.Hardware.Energy;
using PotNet.Hardware.Generation;
using PotNet.Serialization;

namespace PotNet.Cli.Commands;

/// <summary>
/// <c>potnet hw generate M.potnet --pe bac|mac|apot --p P --l L [--zero-gating] [--mac dsp|lut] [--dataflow stream] --out DIR</c>:
/// writes the accelerator's Verilog, ROM images, testbench, run script and manifest.
/// </summary>
internal static class HwGenerateCommand
{
    public static Command Create(Terminal terminal)
    {
        var model = new Argument<string>("model") { Description = "The .potnet model file." };
        var pe = new Option<PeKind>("--pe") { Description = "PE kind: bac (pot weights), mac (uniform weights) or apot (apot weights).", Required = true };
        var parallel = new Option<int>("--p") { Description = "P: output channels computed in parallel (one PE each).", DefaultValueFactory = _ => 1 };
        var lanes = new Option<int>("--l") { Description = "L: lanes (products per cycle) per PE.", DefaultValueFactory = _ => 1 };
        var gating = new Option<bool>("--zero-gating") { Description = "Hold a lane's operands when its weight is zero (counted as a gated operation)." };
        var skipping = new Option<bool>("--zero-skipping") { Description = "Issue no step whose codes are all zero (a column of P weights in a convolution, a block of P x L in a dense layer), store no code of it, and read each step's first tap from a tap index (a ROM; a convolution holds its words in a register file after its first tile); --dataflow rowbuffer only." };
        var mac = new Option<MacMultiplier?>("--mac") { Description = "MAC multipliers in DSP blocks (dsp, the default) or in LUTs (lut); --pe mac only." };
        var dataflow = new Option<DataflowKind>("--dataflow")
        {
            Description = "How operands move between storage and the PEs: rowbuffer (the default: each layer input read once into a row buffer the lanes read; hidden convolutions compute L adjacent output columns at once, each PE's weight read once from its ROM into its register file and broadcast to its lanes; dense layers read each weight once from per-lane ROMs; counters instead of the tap ROM) or stream (the first design: each position's window streamed through the PEs; weights and taps read from ROM every step).",
            DefaultValueFactory = _ => DataflowKind.RowBuffer,
        };
        var output = new Option<string>("--out") { Description = "The design directory to write (replaces an earlier design there).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the manifest as JSON." };
        var command = new Command("generate", "Generate the Verilog accelerator of a model: top level, ROM images, testbench, run script, manifest.")
        {
            model, pe, parallel, lanes, gating, skipping, mac, dataflow, output, json,
        };
        command.SetGuardedAction(terminal, parse =>
        {
            PeKind kind = parse.GetValue(pe);
            MacMultiplier? multiplier = parse.GetValue(mac);
            if (multiplier is not null && kind != PeKind.Mac)
            {
                throw new PotNetException($"--mac: {kind.ToString().ToLowerInvariant()} PEs have no multipliers; --mac applies to --pe mac only");
            }

            var config = new AcceleratorConfig(kind, parse.GetValue(parallel), parse.GetValue(lanes), parse.GetValue(gating), multiplier ?? MacMultiplier.Dsp, parse.GetValue(dataflow), parse.GetValue(skipping));
            string modelPath = parse.GetValue(model)!;
            var schedule = Schedule.Create(ModelFile.Load(modelPath), config);
            string directory = parse.GetValue(output)!;
            DesignManifest manifest = DesignWriter.Write(schedule, directory);
            if (parse.GetValue(json))
            {
                Json.Write(terminal.Writer, manifest);
                return 0;
            }

            terminal.Writer.WriteLine(
                $"{directory}: {manifest.Dataflow} dataflow, {manifest.Pe} PEs, P = {manifest.Parallel}, L = {manifest.Lanes}, zero gating {(manifest.ZeroGating ? "on" : "off")}, zero skipping {(manifest.ZeroSkipping ? "on" : "off")}" +
                $"{(manifest.MacMultiplier is null ? "" : $", {manifest.MacMultiplier} multipliers")}, {manifest.WeightFormat} weights, accumulator {manifest.Widths["ACC_W"]} bits");
            foreach (PassSummary pass in manifest.Passes)
            {
                terminal.Writer.WriteLine($"  {pass.Layer} ({pass.Kind}): {pass.Positions} positions x {pass.Groups} groups x {pass.Steps} steps: {pass.Cycles} cycles");
            }

            terminal.Writer.WriteLine($"cycles per inference (cycle model): {manifest.Predicted["cycles"]}");
            Reuse r = manifest.Reuse;
            terminal.Writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"weight memory bits read per inference: {r.WeightBitsRead:N0} ({r.WeightFetches:F2}x the model's {r.ModelWeightBits:N0}); activation memory reads: {r.ActivationReads:N0} ({r.ActivationFetches:F2}x the layers' {r.LayerInputs:N0} inputs)"));
            terminal.Writer.WriteLine($"verify with: potnet hw verify {directory} --data mnist --images 100");
            return 0;
        });
        return command;
    }
}
