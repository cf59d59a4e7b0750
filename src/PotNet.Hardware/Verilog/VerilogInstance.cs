using System.Text;

namespace PotNet.Hardware.Verilog;

/// <summary>An instance of a module, with named parameters and named port connections.</summary>
internal sealed class VerilogInstance(string module, string name) : IVerilogItem
{
    private readonly List<KeyValuePair<string, string>> _parameters = [];
    private readonly List<KeyValuePair<string, string>> _connections = [];

    public string Module { get; } = module;

    public string Name { get; } = name;

    public VerilogInstance Parameter(string parameter, string value)
    {
        _parameters.Add(new(parameter, value));
        return this;
    }

    public VerilogInstance Parameter(string parameter, long value) => Parameter(parameter, VerilogLiteral.Integer(value));

    public VerilogInstance Connect(string port, string expression)
    {
        _connections.Add(new(port, expression));
        return this;
    }

    /// <summary>Connects each port to the signal of the same name.</summary>
    public VerilogInstance Same(params string[] ports)
    {
        foreach (string port in ports) Connect(port, port);
        return this;
    }

    public void Render(StringBuilder text)
    {
        text.Append("    ").Append(Module);
        if (_parameters.Count > 0)
        {
            text.AppendLine(" #(");
            text.AppendJoin(",\n", _parameters.Select(p => $"        .{p.Key}({p.Value})")).AppendLine();
            text.Append("    )");
        }

        text.Append(' ').Append(Name).AppendLine(" (");
        text.AppendJoin(",\n", _connections.Select(c => $"        .{c.Key}({c.Value})")).AppendLine();
        text.AppendLine("    );");
    }
}
