using System.CommandLine;
using System.Globalization;
using PotNet.Data;
using PotNet.Hardware;
using PotNet.Hardware.Energy;
using PotNet.Hardware.Power;
using PotNet.Hardware.Simulation;
using Spectre.Console;

namespace PotNet.Cli.Commands;

/// <summary>
/// <c>potnet hw power DESIGN --data mnist --images N</c>: gate-level power and timing with the OSU
/// 0.18 um cells: Yosys maps the logic (memories as macros), Verilator simulates the netlist on the
/// images and counts every net's transitions, OpenSTA prices each instance and finds the critical
/// path; the memories are modelled. Beside it, the energy table's estimate of the same design.
/// </summary>
internal static class HwPowerCommand
{
    public static Command Create(Terminal terminal)
    {
        var directory = new Argument<string>("design") { Description = "A directory written by potnet hw generate." };
        var data = DataOptions.Data();
        var dataDir = DataOptions.DataDir();
        var images = new Option<int>("--images") { Description = "Test images to simulate (the first N).", DefaultValueFactory = _ => 20 };
        images.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1) r.AddError("--images must be at least 1");
        });
        var library = new Option<string>("--liberty") { Description = "The cell library (Liberty file).", DefaultValueFactory = _ => CellLibrary.Osu018 };
        var tech = new Option<string>("--tech") { Description = "The energy table to compare with.", DefaultValueFactory = _ => "asic-45nm" };
        var work = new Option<string?>("--work") { Description = "Work directory (netlists, simulation, OpenSTA reports); default DESIGN/power." };
        var report = new Option<string?>("--power-report") { Description = "Also write the result as a power report (JSON dynamic_w, static_w at --clock and the cycle model's cycles) for potnet energy calibrate." };
        var clock = new Option<double>("--clock") { Description = "Clock of --power-report, MHz.", DefaultValueFactory = _ => 100 };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of tables." };
        var command = new Command("power", "Gate-level power and timing of a design with OSU 0.18 um cells (Yosys, Verilator, OpenSTA), by component, beside the energy table's estimate.")
        {
            directory, data, dataDir, images, library, tech, work, report, clock, json,
        };
        command.SetGuardedAction(terminal, parse =>
        {
            var design = Design.Load(parse.GetValue(directory)!);
            Dataset dataset = Dataset.Load(DataCatalog.Resolve(parse.GetValue(data)!, parse.GetValue(dataDir)), DatasetSplit.Test);
            dataset = dataset.Take(Math.Min(parse.GetValue(images), dataset.Count));
            DataOptions.CheckShape(design.Schedule.Model, dataset);
            EnergyTable table = EnergyTable.Load(parse.GetValue(tech)!);
            CellLibrary cells = CellLibrary.Load(parse.GetValue(library)!);
            string workDirectory = parse.GetValue(work) ?? Path.Combine(design.Directory, "power");
            GatePowerReport r = GatePower.Measure(design, cells, dataset.ImageSlices(dataset.Count), workDirectory, step => terminal.Error.WriteLine($"hw power: {step}"));
            var result = PowerComparison.Of(design, r, table);
            if (parse.GetValue(report) is string path) PowerComparison.WriteReport(path, design, r, parse.GetValue(clock));
            if (parse.GetValue(json)) Json.Write(terminal.Writer, result);
            else Render(terminal.Out, result);
            if (r.BitExact) return 0;
            terminal.Error.WriteLine("error: the gate netlist's outputs differ from the reference engine's");
            return PotNetCommand.InputError;
        });
        return command;
    }

    private static void Render(IAnsiConsole console, PowerComparison c)
    {
        GatePowerReport r = c.Gate;
        console.MarkupLineInterpolated($"[bold]{c.Design}[/]: {r.Library}, {r.Images} images, netlist {(r.BitExact ? "bit-exact with the reference engine" : "[red]differs from the reference engine[/]")}");
        console.MarkupLineInterpolated($"{r.Cells:N0} cells, {r.Area / 1e6:0.000} mm2 of logic; {r.CyclesPerInference:N0} cycles per inference (simulated)");
        console.MarkupLineInterpolated($"critical path {r.Path.Startpoint} -> {r.Path.Endpoint}: {r.Path.PeriodNanoseconds:0.00} ns, Fmax {r.Path.FmaxMegahertz:0.0} MHz (OpenSTA, typical corner; memories timed as ideal registers)");
        var table = new Table().AddColumns("component", "part", "cells", "area mm2", "macros", "pJ / inference", $"{c.Table} pJ", "source");
        foreach (ComponentPower p in r.Components)
        {
            string model = p.Memory ? "" : c.TableByComponent.GetValueOrDefault(p.Component).ToString("0.0", CultureInfo.InvariantCulture);
            table.AddRow(p.Component, p.Memory ? "memories" : "logic", N(p.Cells), (p.Area / 1e6).ToString("0.000", CultureInfo.InvariantCulture), N(p.Macros),
                p.DynamicPicojoules.ToString("0.0", CultureInfo.InvariantCulture), model, Markup.Escape(p.Source));
        }

        console.Write(table);
        console.MarkupLineInterpolated($"dynamic {r.DynamicPicojoules:0.0} pJ, leakage {r.LeakageWatts * 1e6:0.000} uW x {r.LatencySeconds * 1e6:0.000} us at Fmax = {r.StaticPicojoules:0.000} pJ; total {r.TotalPicojoules:0.0} pJ per inference");
        console.MarkupLineInterpolated($"{c.Table} (event counts x table) at Fmax: {c.TablePicojoules:0.0} pJ per inference");
        console.MarkupLineInterpolated($"time: {string.Join(", ", r.Seconds.Select(s => $"{s.Key} {s.Value:0.0} s"))}");
    }

    private static string N(long v) => v.ToString("N0", CultureInfo.InvariantCulture);
}
