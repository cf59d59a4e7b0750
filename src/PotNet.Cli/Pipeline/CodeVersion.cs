using System.Reflection;

namespace PotNet.Cli.Pipeline;

/// <summary>
/// The version of the code a step runs, for its cache key: the module version ids of the assemblies
/// that compute it. Builds are deterministic, so the ids change exactly when the code does, and a
/// changed trainer or generator reruns its steps and those after them.
/// </summary>
internal static class CodeVersion
{
    /// <summary>The module version ids of the assemblies defining <paramref name="types"/>, joined.</summary>
    public static string Of(params Type[] types) =>
        string.Join('+', types.Select(t => t.Assembly).Distinct().Select(a => a.ManifestModule.ModuleVersionId.ToString("N")));
}
