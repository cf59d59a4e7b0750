using PotNet.Cli;

return PotNetCommand.Run(args, Console.Out, Console.Error);
