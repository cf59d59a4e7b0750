using System.CommandLine;

namespace PotNet.Cli.Commands;

/// <summary><c>potnet hw</c>: the accelerator generator and its verification.</summary>
internal static class HwCommand
{
    public static Command Create(Terminal terminal) =>
        new("hw", "Generate a Verilog accelerator for a model and verify it in simulation.")
        {
            HwGenerateCommand.Create(terminal),
            HwVerifyCommand.Create(terminal),
            HwSynthCommand.Create(terminal),
            HwSwitchingCommand.Create(terminal),
            HwPowerCommand.Create(terminal),
        };
}
