using System.CommandLine;
using System.Globalization;
using PotNet.Hardware;
using PotNet.Hardware.Simulation;
using PotNet.Hardware.Synthesis;
using Spectre.Console;

namespace PotNet.Cli.Commands;

/// <summary>
/// <c>potnet hw synth DIR [--family xcup] [--full] [--gates]</c>: Yosys synthesis for UltraScale+ (a
/// MAC design also without DSPs) and optionally to generic gates, of one PE of the design (L lanes,
/// adder tree, accumulator, requantiser: where BAC, MAC and APoT designs differ) and, with
/// <c>--full</c>, of the whole design; resources written to <c>DIR/synth.json</c>. Yosys estimates,
/// labelled so.
/// </summary>
internal static class HwSynthCommand
{
    /// <summary>The file the results are written to, in the design's directory.</summary>
    public const string ResultFile = "synth.json";

    public static Command Create(Terminal terminal)
    {
        var directory = new Argument<string>("design") { Description = "A directory written by potnet hw generate." };
        var family = new Option<string>("--family") { Description = "FPGA family for synth_xilinx (xcup: Zynq UltraScale+, the ZCU104's).", DefaultValueFactory = _ => "xcup" };
        family.AcceptOnlyFromAmong("xcup");
        var gates = new Option<bool>("--gates") { Description = "Also synthesise to generic gates with a CMOS transistor estimate." };
        var full = new Option<bool>("--full") { Description = "Also synthesise the whole design (a minute or two for lenet5; with --gates much longer, as the memories become gates)." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("synth", "Synthesise a generated design's PE (and with --full the whole design) with Yosys: LUT, FF, CARRY, DSP, BRAM (estimates, not Vivado's).")
        {
            directory, family, gates, full, json,
        };
        command.SetGuardedAction(terminal, parse =>
        {
            var design = Design.Load(parse.GetValue(directory)!);
            var targets = new List<SynthesisTarget> { SynthesisTarget.UltraScalePlus };
            if (design.Schedule.Config.Pe == PeKind.Mac) targets.Add(SynthesisTarget.UltraScalePlusNoDsp);
            if (parse.GetValue(gates)) targets.Add(SynthesisTarget.GenericGates);
            var results = new SortedDictionary<string, SynthesisResult>(StringComparer.Ordinal);
            string work = Path.Combine(design.Directory, "synth");
            foreach (SynthesisTarget target in targets)
            {
                terminal.Error.WriteLine($"hw synth: one PE, {target} ...");
                results[$"pe/{Name(target)}"] = SynthesisResult.Of(PeHarness.Synthesize(design.Schedule, target, work));
                if (!parse.GetValue(full)) continue;
                terminal.Error.WriteLine($"hw synth: whole design, {target} ...");
                results[$"design/{Name(target)}"] = SynthesisResult.Of(design.Synthesize(target, work));
            }

            var report = new SynthReport(
                design.Directory, design.Manifest.Pe, design.Manifest.Parallel, design.Manifest.Lanes, design.Manifest.WeightFormat,
                "Yosys estimates (synth_xilinx -family xcup; generic gates with stat -tech cmos), not Vivado results; pe = one of the design's P PEs (L lanes, adder tree, accumulator, requantiser)",
                results);
            PotNet.Serialization.AtomicFile.Write(Path.Combine(design.Directory, ResultFile), s => Json.Write(s, report));
            if (parse.GetValue(json)) Json.Write(terminal.Writer, report);
            else Render(terminal.Out, report);
            return 0;
        });
        return command;
    }

    public static string Name(SynthesisTarget target) => target switch
    {
        SynthesisTarget.UltraScalePlus => "xcup",
        SynthesisTarget.UltraScalePlusNoDsp => "xcup-nodsp",
        _ => "gates",
    };

    private static void Render(IAnsiConsole console, SynthReport r)
    {
        console.MarkupLineInterpolated($"[bold]{r.Design}[/] ({r.Pe}, P={r.Parallel}, L={r.Lanes}, {r.Weights}): {r.Source}");
        var table = new Table().AddColumns("target", "LUT", "FF", "CARRY", "DSP", "BRAM", "cells", "transistors");
        foreach ((string target, SynthesisResult s) in r.Results)
        {
            table.AddRow(target, N(s.Luts), N(s.FlipFlops), N(s.Carries), N(s.Dsps), s.Brams.ToString("0.#", CultureInfo.InvariantCulture), N(s.Cells), s.Transistors is long t ? N(t) : "");
        }

        console.Write(table);
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>One synthesis target's counts.</summary>
internal sealed record SynthesisResult(long Luts, long FlipFlops, long Carries, long Dsps, double Brams, long Cells, long? Transistors, string Tool, IReadOnlyDictionary<string, long> CellsByType)
{
    public static SynthesisResult Of(ResourceReport r) => new(r.Luts, r.FlipFlops, r.Carries, r.Dsps, r.Brams, r.Cells, r.Transistors, r.Tool, r.CellsByType);
}

/// <summary>What <c>potnet hw synth</c> writes to synth.json.</summary>
internal sealed record SynthReport(string Design, string Pe, int Parallel, int Lanes, string Weights, string Source, IReadOnlyDictionary<string, SynthesisResult> Results);
