using System.CommandLine;
using PotNet.Formats;
using PotNet.Onnx;
using PotNet.Serialization;
using PotNet.Training;

namespace PotNet.Cli.Commands;

/// <summary>
/// <c>potnet export M.potnet --onnx OUT.onnx [--qdq]</c> and <c>potnet export CHECKPOINT --model lenet5 --onnx OUT.onnx</c>:
/// a quantised model's ONNX export (float or int8 QDQ), or the float network of a training checkpoint
/// as a float ONNX model, for other tools and for <c>potnet import</c>.
/// </summary>
internal static class ExportCommand
{
    public static Command Create(Terminal terminal)
    {
        var input = new Argument<string>("input") { Description = "A .potnet model, or a training checkpoint (with --model)." };
        var model = new Option<string?>("--model") { Description = $"The checkpoint's network: {string.Join(", ", Architectures.Names)} (export its float weights)." };
        model.AcceptOnlyFromAmong([.. Architectures.Names]);
        var qdq = new Option<bool>("--qdq") { Description = "For a .potnet model: the int8 QDQ export instead of the float one." };
        var output = new Option<string>("--onnx") { Description = "The ONNX file to write.", Required = true };
        var command = new Command("export", "Write a model as ONNX: a .potnet model (float or QDQ), or a checkpoint's float network.") { input, model, qdq, output };
        command.SetGuardedAction(terminal, parse =>
        {
            string path = parse.GetValue(input)!, onnx = parse.GetValue(output)!;
            byte[] bytes;
            if (parse.GetValue(model) is string architecture)
            {
                if (parse.GetValue(qdq)) throw new PotNetException("export: --qdq applies to .potnet models, not to a checkpoint's float network");
                var network = new QatNetwork(Architectures.Create(architecture), _ => null, Rounding.Nearest, perChannel: false);
                Checkpoint.Load(path, network);
                bytes = OnnxExport.ToFloat(network.ToFloatModel());
            }
            else
            {
                var quantized = ModelFile.Load(path);
                bytes = parse.GetValue(qdq) ? OnnxExport.ToQdq(quantized) : OnnxExport.ToFloat(quantized);
            }

            OnnxExport.Save(bytes, onnx);
            terminal.Writer.WriteLine($"{onnx}: {bytes.Length:N0} bytes of ONNX");
            return 0;
        });
        return command;
    }
}
