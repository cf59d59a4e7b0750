using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using PotNet.Analyzers;
using static TorchSharp.torch;

namespace PotNet.Training.Tests;

/// <summary>
/// The analyzers that keep temporary TorchSharp Scalars out of native calls (PN0001: PotNet's own,
/// PN0002: a TorchSharp member that makes one), on snippets and on the training sources themselves.
/// </summary>
public sealed class TemporaryScalarAnalyzerTests
{
    private const string Globals = "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; global using System.Threading; global using System.Threading.Tasks;";

    [Theory]
    [InlineData("return a + b;", "PN0002")]
    [InlineData("return a * 2.0;", "PN0002")]
    [InlineData("return a.add(b);", "PN0002")]
    [InlineData("return a.mul(2.0);", "PN0001")]
    [InlineData("return a.add(b, 1);", "PN0001")]
    [InlineData("return a.mul(2.0.ToScalar());", "PN0001")]
    [InlineData("Scalar s = 2.0.ToScalar(); return a.mul(s);", "PN0001")]
    [InlineData("var m = new TorchSharp.Modules.Adam(new TorchSharp.Modules.Parameter[0]); m.step(); return a;", "PN0002")]
    [InlineData("return a.add(b, Two);", "")]
    [InlineData("using Scalar s = 2.0.ToScalar(); return a.mul(s);", "")]
    [InlineData("return a.mul(b).sub(b);", "")]
    [InlineData("return a.clamp(null, Two);", "")]
    [InlineData("return Scale(a, Two);", "")]
    public void Flags_every_temporary_scalar_and_nothing_else(string body, string expected)
    {
        string source = $$"""
            using TorchSharp;
            using static TorchSharp.torch;
            static class Snippet
            {
                static readonly Scalar Two = 2.0.ToScalar();
                static Tensor Scale(Tensor t, Scalar s) => t.mul(s);
                static Tensor Run(Tensor a, Tensor b) { {{body}} }
            }
            """;
        string[] ids = Analyze([source]).Select(d => d.Id).Distinct().ToArray();
        Assert.Equal(expected.Length == 0 ? [] : [expected], ids);
    }

    [Fact]
    public void The_training_sources_make_no_temporary_scalar()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "PotNet.slnx"))) root = Path.GetDirectoryName(root) ?? throw new DirectoryNotFoundException("no PotNet.slnx above the test's directory");
        string[] files = Directory.GetFiles(Path.Combine(root, "src", "PotNet.Training"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)).ToArray();
        Assert.True(files.Length > 10, $"{files.Length} source files found");

        ImmutableArray<Diagnostic> found = Analyze([Globals, .. files.Select(File.ReadAllText)]);
        Assert.True(found.IsEmpty, string.Join('\n', found));
    }

    private static ImmutableArray<Diagnostic> Analyze(IEnumerable<string> sources)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Concat([typeof(Tensor).Assembly.Location, typeof(PotNetException).Assembly.Location])
            .Distinct()
            .Select(path => MetadataReference.CreateFromFile(path));
        CSharpCompilation compilation = CSharpCompilation.Create(
            "Snippet", sources.Select(s => CSharpSyntaxTree.ParseText(s, new CSharpParseOptions(LanguageVersion.Latest))), references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        Diagnostic[] errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        Assert.True(errors.Length == 0, string.Join('\n', errors.Take(10)));
        return compilation.WithAnalyzers([new TemporaryScalarAnalyzer()]).GetAnalyzerDiagnosticsAsync().Result;
    }
}
