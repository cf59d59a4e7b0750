using System.CommandLine;
using System.Diagnostics;
using PotNet.Cli.Engines;
using PotNet.Data;
using PotNet.Engines;
using PotNet.Model;
using PotNet.Serialization;

namespace PotNet.Cli.Commands;

/// <summary><c>potnet eval M.potnet --data mnist [--engine reference|fast|onnxruntime [--onnx float|qdq]]</c>: top-1 accuracy.</summary>
internal static class EvalCommand
{
    public static Command Create(Terminal terminal)
    {
        var model = new Argument<string>("model") { Description = "The .potnet model file." };
        var data = DataOptions.Data();
        var dataDir = DataOptions.DataDir();
        var split = new Option<DatasetSplit>("--split") { Description = "Which split to evaluate.", DefaultValueFactory = _ => DatasetSplit.Test };
        var images = new Option<int?>("--images") { Description = "Evaluate only the first N images." };
        images.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--images must be at least 1");
        });
        var engine = new Option<string>("--engine")
        {
            Description = "reference (plain integer loops, the specification), fast (SIMD and threads; equal results) "
                + "or onnxruntime (the model's ONNX export in ONNX Runtime, for comparison).",
            DefaultValueFactory = _ => "reference",
        };
        engine.AcceptOnlyFromAmong("reference", "fast", "onnxruntime");
        var onnx = new Option<string?>("--onnx")
        {
            Description = "With --engine onnxruntime: float (the float export; equal to PotNet while accumulators stay below 2^24) "
                + "or qdq (the int8 QDQ export; rounds ties to even). Default float.",
        };
        onnx.AcceptOnlyFromAmong("float", "qdq");
        var check = new Option<bool>("--check")
        {
            Description = "Also run the reference engine on every image and count the images whose logits (fast) or class (onnxruntime) "
                + "equal its; with fast, any difference is an error.",
        };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text." };
        var command = new Command("eval", "Measure a quantised model's accuracy with an integer engine (or its ONNX export in ONNX Runtime).") { model, data, dataDir, split, images, engine, onnx, check, json };
        command.Validators.Add(r =>
        {
            // Tokens, not values: reading a value the option's own check refused would throw (and it reports that one).
            if (r.GetResult(onnx) is not null && r.GetResult(engine)?.Tokens is null or [] or [.., { Value: "reference" or "fast" }]) r.AddError("--onnx needs --engine onnxruntime");
        });
        command.SetGuardedAction(terminal, parse =>
        {
            string modelPath = parse.GetValue(model)!;
            QuantizedModel quantized = ModelFile.Load(modelPath);
            Dataset dataset = Dataset.Load(DataCatalog.Resolve(parse.GetValue(data)!, parse.GetValue(dataDir)), parse.GetValue(split));
            if (parse.GetValue(images) is int n) dataset = dataset.Take(Math.Min(n, dataset.Count));
            DataOptions.CheckShape(quantized, dataset);

            string engineName = parse.GetValue(engine)!;
            string? onnxName = engineName == "onnxruntime" ? parse.GetValue(onnx) ?? "float" : null;
            using OnnxRuntimeEngine? ort = onnxName is null ? null : new OnnxRuntimeEngine(quantized, onnxName == "qdq" ? OnnxFlavor.Qdq : OnnxFlavor.Float);
            var reference = new ReferenceEngine(quantized);
            FastEngine? fast = engineName == "fast" ? new FastEngine(quantized) : null;
            Func<ReadOnlyMemory<byte>, int> classify =
                ort is not null ? image => ort.Classify(image.Span)
                : fast is not null ? image => fast.Classify(image.Span)
                : image => reference.Classify(image.Span);

            var clock = Stopwatch.StartNew();
            Evaluation result = terminal.WithProgress($"eval {dataset.Name}", progress => Evaluation.Run(dataset, classify, progress));
            double seconds = clock.Elapsed.TotalSeconds;
            string? agreement = null;
            int differing = 0;
            if (parse.GetValue(check) && engineName != "reference")
            {
                // Logits for PotNet's own engine (the contract is bit-exactness), image by image and in batches
                // (whose dense tail runs several images at once); classes for ONNX Runtime's float outputs.
                int classes = quantized.ClassCount;
                int[] batched = fast is null ? [] : new int[dataset.Count * classes];
                fast?.InferBatch(dataset.Images, batched);
                Func<int, bool> same = fast is not null
                    ? i =>
                    {
                        int[] expected = reference.Infer(dataset.Image(i));
                        return fast.Infer(dataset.Image(i)).AsSpan().SequenceEqual(expected) && batched.AsSpan(i * classes, classes).SequenceEqual(expected);
                    }
                    : i => result.Predictions[i] == reference.Classify(dataset.Image(i));
                differing = terminal.WithProgress($"check {dataset.Name}", progress => Enumerable.Range(0, dataset.Count).Count(i =>
                {
                    if (i % 250 == 0) progress(i, dataset.Count);
                    return !same(i);
                }));
                agreement = $"{(fast is not null ? "logits" : "class")} equal to the reference engine's on {dataset.Count - differing}/{dataset.Count} images";
            }

            var report = new EvalReport(modelPath, dataset.Name, engineName, onnxName, result.Images, result.Correct, result.Accuracy, seconds, agreement);
            string engineLabel = onnxName is null ? engineName : $"{engineName} ({onnxName} export)";
            if (parse.GetValue(json)) Json.Write(terminal.Writer, report);
            else terminal.Writer.WriteLine($"{report.Model}: accuracy {report.Accuracy:P2} ({report.Correct}/{report.Images}) on {report.Data}, {engineLabel} engine, {seconds:F1} s{(agreement is null ? "" : $"; {agreement}")}");
            if (fast is null || differing == 0) return 0;
            terminal.Error.WriteLine($"error: the fast engine differs from the reference engine on {differing} images");
            return PotNetCommand.InputError;
        });
        return command;
    }
}

/// <summary>What <c>potnet eval</c> reports; <paramref name="Onnx"/> is the export ONNX Runtime ran (float or qdq), null for PotNet's engines.</summary>
internal sealed record EvalReport(string Model, string Data, string Engine, string? Onnx, int Images, int Correct, double Accuracy, double Seconds, string? Check = null);
