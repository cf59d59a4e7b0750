using System.CommandLine;
using System.Globalization;
using PotNet.Data;
using PotNet.Engines;
using PotNet.Float;
using PotNet.Formats;
using PotNet.Model;
using PotNet.Onnx;
using PotNet.Quantization;
using PotNet.Serialization;

namespace PotNet.Cli.Commands;

/// <summary>
/// <c>potnet import M.onnx --weights pot4 --calib-data mnist --out M.potnet</c>: reads a float ONNX
/// model, calibrates it on training images and quantises it; reports float and quantised accuracy
/// on the test images.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(Terminal terminal)
    {
        var model = new Argument<string>("model") { Description = "The float ONNX model (.onnx)." };
        var weights = new Option<string>("--weights") { Description = "Weight format: pot<b>, uniform<b> or apot<b>, b from 2 to 8 (e.g. pot4).", Required = true };
        var perChannel = new Option<bool>("--per-channel") { Description = "One scale exponent per output channel (hidden layers)." };
        var rounding = new Option<string>("--rounding") { Description = "Rounding to a level: nearest or log.", DefaultValueFactory = _ => "nearest" };
        rounding.AcceptOnlyFromAmong("nearest", "log");
        var noBiasCorrection = new Option<bool>("--no-bias-correction") { Description = "Do not correct biases for the weights' quantisation error." };
        var calibData = new Option<string>("--calib-data") { Description = $"Calibration and evaluation dataset: {string.Join(", ", DataCatalog.Names)} or a directory of IDX files.", Required = true };
        var dataDir = DataOptions.DataDir();
        var calibImages = new Option<int>("--calib-images") { Description = "Training images to calibrate on.", DefaultValueFactory = _ => 1000 };
        var evalImages = new Option<int?>("--eval-images") { Description = "Evaluate on the first N test images (default: all)." };
        var inputScale = new Option<string>("--input-scale") { Description = "The model reads (pixel * scale - mean) / std; scale as a number or fraction (default 1/256, PotNet's; torchvision's ToTensor is 1/255).", DefaultValueFactory = _ => "1/256" };
        var inputMean = new Option<string>("--input-mean") { Description = "Mean per channel, comma-separated (default 0).", DefaultValueFactory = _ => "0" };
        var inputStd = new Option<string>("--input-std") { Description = "Standard deviation per channel, comma-separated (default 1).", DefaultValueFactory = _ => "1" };
        var output = new Option<string>("--out") { Description = "The .potnet file to write.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text." };
        calibImages.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 1) r.AddError("--calib-images must be at least 1");
        });

        evalImages.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--eval-images must be at least 1");
        });

        var command = new Command("import", "Import a float ONNX model, calibrate it and quantise it to PoT, uniform or APoT weights.")
        {
            model, weights, perChannel, rounding, noBiasCorrection, calibData, dataDir, calibImages, evalImages, inputScale, inputMean, inputStd, output, json,
        };
        command.SetGuardedAction(terminal, parse =>
        {
            string modelPath = parse.GetValue(model)!;
            var options = new QuantizeOptions
            {
                Format = WeightFormat.Parse(parse.GetValue(weights)!),
                PerChannel = parse.GetValue(perChannel),
                Rounding = RoundingNames.Parse(parse.GetValue(rounding)) ?? Rounding.Nearest,
                BiasCorrection = !parse.GetValue(noBiasCorrection),
            };
            var normalization = new InputNormalization(
                Number(parse.GetValue(inputScale)!, "--input-scale"), Numbers(parse.GetValue(inputMean)!, "--input-mean"), Numbers(parse.GetValue(inputStd)!, "--input-std"));
            string directory = DataCatalog.Resolve(parse.GetValue(calibData)!, parse.GetValue(dataDir));
            Dataset train = Dataset.Load(directory, DatasetSplit.Train), test = Dataset.Load(directory, DatasetSplit.Test);
            train = train.Take(Math.Min(parse.GetValue(calibImages), train.Count));
            if (parse.GetValue(evalImages) is int n) test = test.Take(Math.Min(n, test.Count));

            ImportedModel imported = OnnxImport.Load(modelPath, normalization);
            foreach (string warning in imported.Warnings) terminal.Error.WriteLine($"warning: {warning}");
            var image = new Shape(1, train.Height, train.Width);
            if (imported.Model.Input != image && imported.Model.Input != new Shape(image.Size, 1, 1))
            {
                throw new PotNetException($"{modelPath}: the model takes {imported.Model.Input}, {train.Name} images are 1x{train.Height}x{train.Width}");
            }

            int imageSize = train.Height * train.Width;
            var calibration = Enumerable.Range(0, train.Count).Select(i => train.Images.Slice(i * imageSize, imageSize));
            QuantizedModel quantized = Quantizer.Quantize(imported.Model, options, calibration);

            var floatEngine = new FloatEngine(imported.Model);
            Evaluation floatResult = terminal.WithProgress($"float {test.Name}", progress => Evaluation.Run(test, image => ArgMax(floatEngine.Infer(image.Span)), progress));
            var reference = new ReferenceEngine(quantized);
            Evaluation quantizedResult = terminal.WithProgress($"{options.Format.Name} {test.Name}", progress => Evaluation.Run(test, image => reference.Classify(image.Span), progress));

            string dataName = test.Name.Split('/')[0], split = $"{dataName}-test";
            var settings = new SortedDictionary<string, string>(quantized.Provenance.Settings.ToDictionary(), StringComparer.Ordinal)
            {
                ["onnx_opset"] = imported.Opset.ToString(CultureInfo.InvariantCulture),
                ["onnx_producer"] = imported.Producer,
                ["input_normalization"] = $"(pixel * {normalization.Scale.ToString("R", CultureInfo.InvariantCulture)} - [{string.Join(", ", normalization.Mean)}]) / [{string.Join(", ", normalization.Std)}]",
            };
            var provenance = quantized.Provenance with
            {
                Source = $"onnx import of {Path.GetFileName(modelPath)}",
                Dataset = dataName,
                Settings = settings,
                Accuracy = new SortedDictionary<string, double>(StringComparer.Ordinal)
                {
                    [$"float/{split}"] = floatResult.Accuracy,
                    [$"reference/{split}"] = quantizedResult.Accuracy,
                },
            };
            string outPath = parse.GetValue(output)!;
            ModelFile.Save(quantized.WithProvenance(provenance), outPath);

            var report = new ImportReport(modelPath, outPath, options.Format.Name, options.PerChannel ? "channel" : "layer", imported.Opset, imported.Producer,
                imported.Model.Layers.Select(l => l.Name).ToArray(), train.Count, test.Name, test.Count, floatResult.Accuracy, quantizedResult.Accuracy, imported.Warnings);
            if (parse.GetValue(json))
            {
                Json.Write(terminal.Writer, report);
            }
            else
            {
                terminal.Writer.WriteLine($"{modelPath}: opset {report.Opset}{(report.Producer.Length > 0 ? $", {report.Producer}" : "")}, {report.Layers.Count} layers ({string.Join(", ", report.Layers)})");
                terminal.Writer.WriteLine($"calibrated on {report.CalibrationImages} images of {train.Name}; accuracy on {report.Images} images of {report.Data}:");
                terminal.Writer.WriteLine($"  float      {report.FloatAccuracy:P2}");
                terminal.Writer.WriteLine($"  {report.Weights,-10} {report.QuantizedAccuracy:P2} (per {report.Granularity}, reference engine)");
                terminal.Writer.WriteLine($"wrote {outPath}");
            }

            return 0;
        });
        return command;
    }

    private static int ArgMax(double[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best]) best = i;
        }

        return best;
    }

    /// <summary>A number, or a fraction such as 1/255.</summary>
    private static double Number(string text, string option)
    {
        string[] parts = text.Split('/');
        bool ok = double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double value);
        if (ok && parts.Length == 2 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double divisor)) return value / divisor;
        return ok && parts.Length == 1 ? value : throw new PotNetException($"{option}: '{text}' is not a number or a fraction such as 1/255");
    }

    private static double[] Numbers(string text, string option) => text.Split(',').Select(t => Number(t.Trim(), option)).ToArray();
}

/// <summary>What <c>potnet import</c> reports.</summary>
internal sealed record ImportReport(
    string Model, string Output, string Weights, string Granularity, int Opset, string Producer, IReadOnlyList<string> Layers,
    int CalibrationImages, string Data, int Images, double FloatAccuracy, double QuantizedAccuracy, IReadOnlyList<string> Warnings);
