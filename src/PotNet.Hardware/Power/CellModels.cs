using System.Text;

namespace PotNet.Hardware.Power;

/// <summary>
/// Zero-delay Verilog models of a library's cells, written from the Liberty file's own functions
/// (<c>function</c>, <c>ff</c>), for Verilator, which cannot run the user-defined primitives of the
/// library's <c>osu018_stdcells.v</c>. The tests check every combinational model against that file
/// in Icarus. Toggle coverage is off inside the models, so Verilator counts the netlist's nets only.
/// </summary>
public static class CellModels
{
    /// <summary>The models of every cell PotNet can simulate (latches and tri-state buffers are left out: synthesis does not use them).</summary>
    public static string Verilog(CellLibrary library)
    {
        ArgumentNullException.ThrowIfNull(library);
        var text = new StringBuilder();
        text.AppendLine($"// Zero-delay models of the cells of {library.Path}, written by PotNet from its functions.");
        text.AppendLine("/* verilator coverage_off */");
        text.AppendLine("/* verilator lint_off UNUSEDSIGNAL */");
        foreach (LibraryCell cell in library.Cells.Values.Where(c => c.Unsupported is null)) Module(text, cell);
        text.AppendLine("/* verilator lint_on UNUSEDSIGNAL */");
        text.AppendLine("/* verilator coverage_on */");
        return text.ToString();
    }

    private static void Module(StringBuilder text, LibraryCell cell)
    {
        text.AppendLine($"module {cell.Name} ({string.Join(", ", cell.Pins.Select(p => p.Name))});");
        foreach (CellPin pin in cell.Pins) text.AppendLine($"    {(pin.Output ? "output" : "input")} {pin.Name};");
        if (cell.State is FlipFlop ff)
        {
            text.AppendLine($"    reg {ff.State} = 1'b0;");
            if (ff.Inverted.Length > 0) text.AppendLine($"    wire {ff.Inverted} = ~{ff.State};");
            var events = new List<string> { Edge(ff.ClockedOn, cell.Name) };
            if (ff.Clear is not null) events.Add(Edge(ff.Clear, cell.Name));
            if (ff.Preset is not null) events.Add(Edge(ff.Preset, cell.Name));
            text.AppendLine($"    always @({string.Join(" or ", events)})");
            string body = $"{ff.State} <= {Expression(ff.NextState)};";
            if (ff.Preset is not null) body = $"if ({Expression(ff.Preset)}) {ff.State} <= 1'b1; else {body}";
            if (ff.Clear is not null) body = $"if ({Expression(ff.Clear)}) {ff.State} <= 1'b0; else {body}";
            text.AppendLine($"        {body}");
        }

        foreach (CellPin output in cell.Outputs)
        {
            if (output.Function is null) throw new PotNetException($"cell {cell.Name}: output {output.Name} has no function");
            text.AppendLine($"    assign {output.Name} = {Expression(output.Function)};");
        }

        text.AppendLine("endmodule");
    }

    /// <summary>The edge an active-high Liberty condition starts on: <c>X</c> is posedge X, <c>!X</c> negedge X.</summary>
    private static string Edge(string condition, string cell)
    {
        string c = condition.Replace("(", "", StringComparison.Ordinal).Replace(")", "", StringComparison.Ordinal).Trim();
        if (c.StartsWith('!') && IsName(c[1..])) return $"negedge {c[1..]}";
        if (IsName(c)) return $"posedge {c}";
        throw new PotNetException($"cell {cell}: the clock or reset condition '{condition}' is not a single pin");
    }

    private static bool IsName(string s) => s.Length > 0 && s.All(ch => char.IsLetterOrDigit(ch) || ch == '_');

    /// <summary>
    /// A Liberty Boolean function in Verilog: <c>!</c> and a postfix <c>'</c> negate, a space, <c>&amp;</c>
    /// or <c>*</c> between operands is AND, <c>+</c> or <c>|</c> OR, <c>^</c> XOR; NOT binds tightest, then AND, XOR, OR.
    /// </summary>
    public static string Expression(string function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var parser = new Parser(function);
        string result = parser.Or();
        if (!parser.AtEnd) throw new PotNetException($"Liberty function '{function}': unexpected text at position {parser.Position}");
        return result;
    }

    private sealed class Parser(string text)
    {
        private int _i;

        public int Position => _i;

        public bool AtEnd
        {
            get
            {
                Skip();
                return _i >= text.Length;
            }
        }

        public string Or()
        {
            string left = Xor();
            while (Take('+') || Take('|')) left = $"({left} | {Xor()})";
            return left;
        }

        private string Xor()
        {
            string left = And();
            while (Take('^')) left = $"({left} ^ {And()})";
            return left;
        }

        private string And()
        {
            string left = Not();
            while (true)
            {
                if (Take('&') || Take('*') || StartsOperand()) left = $"({left} & {Not()})";
                else return left;
            }
        }

        private string Not()
        {
            if (Take('!')) return $"(~{Not()})";
            string operand = Primary();
            while (Take('\'')) operand = $"(~{operand})";
            return operand;
        }

        private string Primary()
        {
            Skip();
            if (Take('('))
            {
                string inner = Or();
                if (!Take(')')) throw new PotNetException($"Liberty function '{text}': missing ')' at position {_i}");
                return inner;
            }

            int start = _i;
            while (_i < text.Length && (char.IsLetterOrDigit(text[_i]) || text[_i] == '_')) _i++;
            if (_i == start) throw new PotNetException($"Liberty function '{text}': expected a pin at position {_i}");
            string name = text[start.._i];
            return name switch
            {
                "0" => "1'b0",
                "1" => "1'b1",
                _ => name,
            };
        }

        private bool StartsOperand()
        {
            Skip();
            return _i < text.Length && (text[_i] == '(' || text[_i] == '!' || char.IsLetterOrDigit(text[_i]) || text[_i] == '_');
        }

        private bool Take(char c)
        {
            Skip();
            if (_i < text.Length && text[_i] == c)
            {
                _i++;
                return true;
            }

            return false;
        }

        private void Skip()
        {
            while (_i < text.Length && char.IsWhiteSpace(text[_i])) _i++;
        }
    }
}
