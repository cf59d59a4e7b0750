namespace PotNet;

/// <summary>
/// Bad input that a user can fix: a malformed file, an unsupported layer, a wrong option.
/// The message names what and where (the file, the layer, the field), so the command line
/// prints it as it is, without a stack trace.
/// </summary>
public class PotNetException : Exception
{
    /// <summary>Creates the exception with a message that names what and where.</summary>
    public PotNetException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    public PotNetException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception without a message; prefer the constructors that name the problem.</summary>
    public PotNetException() { }

    /// <summary>An error in one field of one file: "<c>path: field: problem</c>".</summary>
    public static PotNetException InFile(string path, string field, string problem) =>
        new($"{path}: {field}: {problem}");
}
