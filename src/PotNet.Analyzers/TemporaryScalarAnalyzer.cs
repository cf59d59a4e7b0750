using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PotNet.Analyzers;

/// <summary>
/// Reports a TorchSharp <c>Scalar</c> handed to a tensor operation that nothing keeps alive for the
/// length of the call. TorchSharp passes <c>scalar.Handle</c> to libtorch without <c>GC.KeepAlive</c>;
/// once the handle is read, a temporary Scalar (a number converted implicitly, a <c>ToScalar()</c>
/// result, a plain local after its last use) is unreachable, and its finalizer may free the native
/// scalar while libtorch still reads it: "Expected false to be true ... Scalar.h" or a segmentation
/// fault, rarely and only under GC pressure. Allowed: a static field, a <c>using</c> local (disposed,
/// so reachable, at the end of its scope) and a parameter (its caller is checked in turn).
/// A second rule reports calls of TorchSharp members that make such a temporary themselves
/// (<see cref="ScalarMakers"/>): <c>a + b</c> on two tensors is <c>a.add(b, 1)</c>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TemporaryScalarAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The id of a temporary Scalar passed by PotNet's code.</summary>
    public const string Id = "PN0001";

    /// <summary>The id of a call of a TorchSharp member that makes its own temporary Scalar.</summary>
    public const string MakerId = "PN0002";

    private static readonly DiagnosticDescriptor Rule = new(
        Id,
        "Temporary TorchSharp Scalar passed to a native call",
        "{0} is a temporary TorchSharp Scalar that the GC may free while libtorch reads it; pass a static Scalar or a 'using' local",
        "Reliability",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "TorchSharp does not keep a Scalar argument alive during the native call; a finalizer can free it mid-call.");

    private static readonly DiagnosticDescriptor MakerRule = new(
        MakerId,
        "TorchSharp member that makes its own temporary Scalar",
        "{0} makes a temporary TorchSharp Scalar that the GC may free while libtorch reads it ({1}); call the overload that takes every Scalar, held by a static or a 'using' local",
        "Reliability",
        DiagnosticSeverity.Error,
        isEnabledByDefault: true,
        description: "The member converts a number to a Scalar inside TorchSharp and passes it to native code without keeping it alive.");

    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule, MakerRule);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            INamedTypeSymbol? scalar = start.Compilation.GetTypeByMetadataName("TorchSharp.Scalar");
            if (scalar is null) return;
            start.RegisterOperationAction(c => AnalyzeArgument(c, scalar), OperationKind.Argument);
            start.RegisterOperationAction(c => AnalyzeOperator(c, scalar), OperationKind.Binary, OperationKind.CompoundAssignment);
            if (TorchSharpPath(start.Compilation, scalar.ContainingAssembly) is not string path) return;
            ScalarMakers makers = ScalarMakers.Read(path);
            start.RegisterOperationAction(
                c => AnalyzeCall(c, makers, scalar.ContainingAssembly),
                OperationKind.Invocation, OperationKind.Binary, OperationKind.CompoundAssignment, OperationKind.Unary, OperationKind.ObjectCreation, OperationKind.MethodReference);
        });
    }

    private static void AnalyzeArgument(OperationAnalysisContext context, INamedTypeSymbol scalar)
    {
        var argument = (IArgumentOperation)context.Operation;
        if (argument.ArgumentKind == ArgumentKind.DefaultValue || argument.Parameter is null) return;
        if (!SymbolEqualityComparer.Default.Equals(argument.Parameter.Type, scalar)) return;
        Check(context, argument.Value);
    }

    private static void AnalyzeOperator(OperationAnalysisContext context, INamedTypeSymbol scalar)
    {
        (IMethodSymbol? method, IOperation left, IOperation right) = context.Operation switch
        {
            IBinaryOperation b => (b.OperatorMethod, b.LeftOperand, b.RightOperand),
            ICompoundAssignmentOperation a => (a.OperatorMethod, a.Target, a.Value),
            _ => (null, context.Operation, context.Operation),
        };
        if (method is null || method.Parameters.Length != 2) return;
        if (SymbolEqualityComparer.Default.Equals(method.Parameters[0].Type, scalar)) Check(context, left);
        if (SymbolEqualityComparer.Default.Equals(method.Parameters[1].Type, scalar)) Check(context, right);
    }

    private static void AnalyzeCall(OperationAnalysisContext context, ScalarMakers makers, IAssemblySymbol torchSharp)
    {
        IMethodSymbol? method = context.Operation switch
        {
            IInvocationOperation i => i.TargetMethod,
            IBinaryOperation b => b.OperatorMethod,
            ICompoundAssignmentOperation a => a.OperatorMethod,
            IUnaryOperation u => u.OperatorMethod,
            IObjectCreationOperation o => o.Constructor,
            IMethodReferenceOperation r => r.Method,
            _ => null,
        };
        if (method is null) return;
        method = (method.ReducedFrom ?? method).OriginalDefinition;
        if (!SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, torchSharp)) return;
        if (makers.Why(method.MetadataToken) is not string why) return;
        context.ReportDiagnostic(Diagnostic.Create(MakerRule, context.Operation.Syntax.GetLocation(), $"'{method.ContainingType.Name}.{method.Name}'", why));
    }

    private static string? TorchSharpPath(Compilation compilation, IAssemblySymbol torchSharp)
    {
        foreach (MetadataReference reference in compilation.References)
        {
            if (reference is PortableExecutableReference { FilePath: string path }
                && SymbolEqualityComparer.Default.Equals(compilation.GetAssemblyOrModuleSymbol(reference), torchSharp))
            {
                return path;
            }
        }

        return null;
    }

    private static void Check(OperationAnalysisContext context, IOperation value)
    {
        if (KeptAlive(value)) return;
        context.ReportDiagnostic(Diagnostic.Create(Rule, value.Syntax.GetLocation(), $"'{value.Syntax}'"));
    }

    private static bool KeptAlive(IOperation value) => value switch
    {
        IFieldReferenceOperation field => field.Field.IsStatic,
        ILocalReferenceOperation local => IsUsingLocal(local.Local),
        IParameterReferenceOperation => true,
        // A null Scalar (an optional bound left out) holds no native memory.
        IConversionOperation { OperatorMethod: null, Operand: ILiteralOperation { ConstantValue: { HasValue: true, Value: null } } } => true,
        IDefaultValueOperation => true,
        _ => false,
    };

    private static bool IsUsingLocal(ILocalSymbol local)
    {
        foreach (SyntaxReference reference in local.DeclaringSyntaxReferences)
        {
            for (SyntaxNode? node = reference.GetSyntax(); node is not null; node = node.Parent)
            {
                switch (node)
                {
                    case LocalDeclarationStatementSyntax declaration:
                        return declaration.UsingKeyword.IsKind(SyntaxKind.UsingKeyword);
                    case UsingStatementSyntax:
                        return true;
                }
            }
        }

        return false;
    }
}
