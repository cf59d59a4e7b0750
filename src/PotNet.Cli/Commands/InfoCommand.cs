using System.CommandLine;
using System.Globalization;
using PotNet.Model;
using PotNet.Serialization;
using Spectre.Console;

namespace PotNet.Cli.Commands;

/// <summary><c>potnet info M.potnet</c>: layers, shapes, formats, parameters, weight bits, sparsity, accumulator widths.</summary>
internal static class InfoCommand
{
    public static Command Create(Terminal terminal)
    {
        var model = new Argument<string>("model") { Description = "The .potnet model file." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var command = new Command("info", "Describe a quantised model: layers, shapes, formats, sizes, sparsity, accumulator widths.") { model, json };
        command.SetGuardedAction(terminal, parse =>
        {
            string path = parse.GetValue(model)!;
            ModelInfo info = ModelInfo.Of(ModelFile.Load(path), path);
            if (parse.GetValue(json)) Json.Write(terminal.Writer, info);
            else Render(terminal.Out, info);
            return 0;
        });
        return command;
    }

    private static void Render(IAnsiConsole console, ModelInfo info)
    {
        console.MarkupLineInterpolated($"[bold]{info.File}[/]: input {info.Input} (exponent {info.InputExponent}), {info.Classes} classes");
        if (info.Source is not null) console.MarkupLineInterpolated($"source: {info.Source}{(info.Dataset is null ? "" : $", dataset {info.Dataset}")}");
        foreach ((string key, string value) in info.Settings) console.MarkupLineInterpolated($"  {key}: {value}");
        foreach ((string key, double value) in info.Accuracy) console.MarkupLineInterpolated($"  accuracy {key}: {value:P2}");

        var table = new Table().AddColumns("#", "layer", "type", "input", "output", "weights", "scale", "f_out", "params", "weight bits", "sparsity", "acc bits");
        foreach (LayerInfo l in info.Layers)
        {
            table.AddRow(
                l.Index.ToString(CultureInfo.InvariantCulture), l.Name, l.Reads is null ? l.Type : $"{l.Type} of {l.Reads}", l.Input, l.Output,
                l.Format ?? "", l.Granularity ?? "", l.OutputExponent?.ToString(CultureInfo.InvariantCulture) ?? "",
                Count(l.Parameters), Count(l.WeightBits), l.Sparsity is double s ? s.ToString("P1", CultureInfo.InvariantCulture) : "",
                l.AccumulatorBits?.ToString(CultureInfo.InvariantCulture) ?? "");
        }

        table.AddRow("", "[bold]total[/]", "", "", "", "", "", "", Count(info.Parameters), Count(info.WeightBits), info.Sparsity.ToString("P1", CultureInfo.InvariantCulture), "");
        console.Write(table);
    }

    private static string Count(long n) => n == 0 ? "" : n.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>What <c>potnet info</c> reports, as data (the JSON form) before it is drawn.</summary>
internal sealed record ModelInfo(
    string File, string Input, int InputExponent, int Classes, string? Source, string? Dataset,
    IReadOnlyDictionary<string, string> Settings, IReadOnlyDictionary<string, double> Accuracy,
    IReadOnlyList<LayerInfo> Layers, long Parameters, long WeightBits, double Sparsity)
{
    public static ModelInfo Of(QuantizedModel model, string file)
    {
        LayerInfo[] layers = model.Plan.Select(LayerInfo.Of).ToArray();
        return new ModelInfo(
            file, model.Input.ToString(), model.InputExponent, model.ClassCount, model.Provenance.Source, model.Provenance.Dataset,
            model.Provenance.Settings, model.Provenance.Accuracy, layers, layers.Sum(l => l.Parameters), layers.Sum(l => l.WeightBits),
            model.WeightSparsity);
    }
}

/// <summary>One row of <c>potnet info</c>.</summary>
internal sealed record LayerInfo(
    int Index, string Name, string Type, string Input, string Output, string? Format, string? Granularity,
    int? OutputExponent, long Parameters, long WeightBits, double? Sparsity, int? AccumulatorBits, string? Reads, int? Groups = null, string? Residual = null)
{
    /// <summary>The row of <paramref name="step"/>; <see cref="Reads"/> names its inputs when it does not read the layer before it.</summary>
    public static LayerInfo Of(LayerPlan step, int index)
    {
        var compute = step.Layer as ComputeLayer;
        string? reads = step.Layer.Inputs.Count == 0 ? null : string.Join(" + ", step.Layer.Inputs);
        int? groups = compute?.Geometry.Groups is int g && g > 1 ? g : null;
        // A grouped convolution is not a plain conv2d: its groups are part of its type.
        string type = groups is int n ? $"{step.Layer.TypeName}, {n} groups" : step.Layer.TypeName;
        if (step.Layer.Residual is string residual) type += $" + residual {residual}";
        return new LayerInfo(
            index, step.Layer.Name, type, step.Input.ToString(), step.Output.ToString(),
            compute?.Weights.Format.Name, compute is null ? null : compute.Weights.PerChannel ? "channel" : "layer",
            compute?.OutputExponent ?? (step.Layer as ResidualAdd)?.OutputExponent, compute?.ParameterCount ?? 0, (long)(compute?.ParameterCount ?? 0) * (compute?.Weights.Format.Bits ?? 0),
            compute?.Weights.Sparsity, compute is null ? null : step.Accumulator.Bits, reads, groups, step.Layer.Residual);
    }
}
