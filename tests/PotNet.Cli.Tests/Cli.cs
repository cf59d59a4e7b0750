namespace PotNet.Cli.Tests;

/// <summary>Runs the potnet command in-process, capturing what it writes.</summary>
internal static class Cli
{
    public static (int Code, string Out, string Error) Run(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        int code = PotNetCommand.Run(args, output, error, interactive: false);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Asserts the one-clear-message contract: exit code, one line on stderr naming <paramref name="expected"/>, no stack trace.</summary>
    public static void AssertFails(int expectedCode, (int Code, string Out, string Error) result, params string[] expected)
    {
        Assert.Equal(expectedCode, result.Code);
        string[] lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("error: ", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Error, StringComparison.Ordinal);
        foreach (string part in expected) Assert.Contains(part, result.Error, StringComparison.Ordinal);
        if (expectedCode == PotNetCommand.InputError) Assert.Single(lines);
    }
}
