using System.Text;
using PotNet.Onnx.Proto;

namespace PotNet.Onnx;

/// <summary>Typed access to a node's attributes, with errors that name the node.</summary>
internal sealed class NodeAttributes(NodeProto node, Func<string, PotNetException> fail)
{
    public long Int(string name, long fallback) => Find(name) is { } a ? a.I : fallback;

    public float Float(string name, float fallback) => Find(name) is { } a ? a.F : fallback;

    public string String(string name, string fallback) => Find(name) is { } a ? Encoding.UTF8.GetString(a.S.Span) : fallback;

    public long[]? Ints(string name) => Find(name)?.Ints.ToArray();

    public float[]? Floats(string name) => Find(name)?.Floats.ToArray();

    public TensorProto? Tensor(string name) => Find(name)?.T;

    public bool Has(string name) => Find(name) is not null;

    /// <summary>A required attribute that must have the given value (when present) for PotNet to import the node.</summary>
    public void Require(string name, long expected, string why)
    {
        if (Find(name) is { } a && a.I != expected) throw fail($"attribute {name} = {a.I} is not supported ({why})");
    }

    private AttributeProto? Find(string name) => node.Attribute.FirstOrDefault(a => a.Name == name);
}
