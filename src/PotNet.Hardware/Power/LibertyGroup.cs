using System.Text;

namespace PotNet.Hardware.Power;

/// <summary>
/// A group of a Liberty (.lib) file, <c>name (args) { attributes; groups }</c>, as far as PotNet reads
/// one: simple attributes (<c>name : value;</c>) and nested groups; complex attributes
/// (<c>name (values);</c>, the tables) are skipped.
/// </summary>
/// <param name="Kind">The group's keyword: library, cell, pin, ff, ...</param>
/// <param name="Arguments">Its arguments (a cell's or pin's name; a flip-flop's two state variables).</param>
/// <param name="Attributes">Simple attributes, unquoted.</param>
/// <param name="Groups">Nested groups in order.</param>
public sealed record LibertyGroup(string Kind, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Attributes, IReadOnlyList<LibertyGroup> Groups)
{
    /// <summary>The first argument, or empty.</summary>
    public string Name => Arguments.Count > 0 ? Arguments[0] : "";

    /// <summary>The nested groups of kind <paramref name="kind"/>.</summary>
    public IEnumerable<LibertyGroup> Children(string kind) => Groups.Where(g => g.Kind == kind);

    /// <summary>An attribute, or null.</summary>
    public string? Attribute(string name) => Attributes.GetValueOrDefault(name);

    /// <summary>Parses the text of a Liberty file; <paramref name="file"/> names it in errors.</summary>
    public static LibertyGroup Parse(string text, string file)
    {
        ArgumentNullException.ThrowIfNull(text);
        List<string> tokens = Tokens(text);
        int i = 0;
        return Group(tokens, ref i, file);
    }

    private static LibertyGroup Group(List<string> t, ref int i, string file)
    {
        string kind = t[i++];
        Expect(t, ref i, "(", file);
        var args = new List<string>();
        while (t[i] != ")") { if (t[i] != ",") args.Add(t[i]); i++; }
        i++;
        Expect(t, ref i, "{", file);
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        var groups = new List<LibertyGroup>();
        while (t[i] != "}")
        {
            if (t[i + 1] == ":")
            {
                attributes[t[i]] = t[i + 2];
                i += 3;
                if (t[i] == ";") i++;
            }
            else if (t[i + 1] == "(")
            {
                int close = t.IndexOf(")", i);
                if (close + 1 < t.Count && t[close + 1] == "{") groups.Add(Group(t, ref i, file));
                else i = close + (t[close + 1] == ";" ? 2 : 1);
            }
            else
            {
                throw new PotNetException($"{file}: unexpected '{t[i]}' in {kind} ({string.Join(", ", args)})");
            }
        }

        i++;
        return new LibertyGroup(kind, args, attributes, groups);
    }

    private static void Expect(List<string> t, ref int i, string token, string file)
    {
        if (i >= t.Count || t[i] != token) throw new PotNetException($"{file}: expected '{token}' near token {i} ('{(i < t.Count ? t[i] : "end of file")}')");
        i++;
    }

    /// <summary>Identifiers, numbers and strings (unquoted) and the punctuation ( ) { } : ; , with comments and line continuations dropped.</summary>
    private static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var word = new StringBuilder();
        void Flush()
        {
            if (word.Length > 0) tokens.Add(word.ToString());
            word.Clear();
        }

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '/' && i + 1 < text.Length && text[i + 1] == '*')
            {
                Flush();
                int end = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? text.Length : end + 1;
            }
            else if (c == '"')
            {
                Flush();
                int end = text.IndexOf('"', i + 1);
                tokens.Add(text[(i + 1)..end]);
                i = end;
            }
            else if (c is '(' or ')' or '{' or '}' or ':' or ';' or ',')
            {
                Flush();
                tokens.Add(c.ToString());
            }
            else if (char.IsWhiteSpace(c) || c == '\\')
            {
                Flush();
            }
            else
            {
                word.Append(c);
            }
        }

        Flush();
        return tokens;
    }
}
