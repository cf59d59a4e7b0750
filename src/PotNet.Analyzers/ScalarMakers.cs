using System.Collections.Generic;
using System.IO;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace PotNet.Analyzers;

/// <summary>
/// The methods of the TorchSharp assembly that make a temporary <c>Scalar</c> of their own and pass
/// it on to a native call: those whose IL calls <c>Scalar.op_Implicit</c> or a <c>ToScalar</c>
/// extension (<c>add(target)</c> is <c>add(target, 1)</c>), and, transitively, those that call or
/// make a delegate of such a method (TorchSharp's <c>Adam.step</c> runs a lambda that does
/// <c>mul_(beta1)</c>). Read from the assembly's IL, so a TorchSharp upgrade updates the set.
/// </summary>
internal sealed class ScalarMakers
{
    private readonly Dictionary<int, string> _makers;

    private ScalarMakers(Dictionary<int, string> makers) => _makers = makers;

    /// <summary>The number of methods found.</summary>
    public int Count => _makers.Count;

    /// <summary>Why the method with metadata token <paramref name="token"/> makes a temporary Scalar (the chain of calls down to the conversion), or null.</summary>
    public string? Why(int token) => _makers.TryGetValue(token, out string? why) ? why : null;

    /// <summary>Reads the TorchSharp assembly at <paramref name="path"/>.</summary>
    public static ScalarMakers Read(string path)
    {
        // The compilation's own input, so the result is as deterministic as the build; Roslyn's metadata
        // API gives no access to method bodies, hence the file.
#pragma warning disable RS1035
        using var pe = new PEReader(File.OpenRead(path));
#pragma warning restore RS1035
        MetadataReader md = pe.GetMetadataReader();
        var calls = new Dictionary<int, List<int>>();
        var direct = new Dictionary<int, string>();
        foreach (MethodDefinitionHandle handle in md.MethodDefinitions)
        {
            MethodDefinition method = md.GetMethodDefinition(handle);
            if (method.RelativeVirtualAddress == 0) continue;
            int token = MetadataTokens.GetToken(handle);
            var callees = new List<int>();
            BlobReader il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILReader();
            while (il.RemainingBytes > 0)
            {
                ILOpCode op = IlOperands.ReadOpCode(ref il);
                if (op is not (ILOpCode.Call or ILOpCode.Callvirt or ILOpCode.Ldftn or ILOpCode.Ldvirtftn))
                {
                    IlOperands.Skip(ref il, op);
                    continue;
                }

                EntityHandle callee = MetadataTokens.EntityHandle(il.ReadInt32());
                if (IsConversion(md, callee, out string? conversion)) direct[token] = conversion!;
                else if (callee.Kind == HandleKind.MethodDefinition) callees.Add(MetadataTokens.GetToken(callee));
            }

            calls[token] = callees;
        }

        var makers = new Dictionary<int, string>(direct);
        for (bool grew = true; grew;)
        {
            grew = false;
            foreach (KeyValuePair<int, List<int>> caller in calls)
            {
                if (makers.ContainsKey(caller.Key)) continue;
                foreach (int callee in caller.Value)
                {
                    if (!makers.TryGetValue(callee, out string? why)) continue;
                    makers[caller.Key] = $"{Name(md, callee)} -> {why}";
                    grew = true;
                    break;
                }
            }
        }

        return new ScalarMakers(makers);
    }

    private static bool IsConversion(MetadataReader md, EntityHandle callee, out string? name)
    {
        name = null;
        if (callee.Kind != HandleKind.MethodDefinition) return false;
        MethodDefinition method = md.GetMethodDefinition((MethodDefinitionHandle)callee);
        string methodName = md.GetString(method.Name);
        string typeName = md.GetString(md.GetTypeDefinition(method.GetDeclaringType()).Name);
        if (!(typeName == "Scalar" && methodName == "op_Implicit") && methodName != "ToScalar") return false;
        name = $"{typeName}.{methodName}";
        return true;
    }

    private static string Name(MetadataReader md, int token)
    {
        MethodDefinition method = md.GetMethodDefinition(MetadataTokens.MethodDefinitionHandle(token));
        return $"{md.GetString(md.GetTypeDefinition(method.GetDeclaringType()).Name)}.{md.GetString(method.Name)}";
    }
}
