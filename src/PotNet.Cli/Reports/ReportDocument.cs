using System.Net;
using System.Text;

namespace PotNet.Cli.Reports;

/// <summary>A block of a report: what both the Markdown and the HTML renderings are made of.</summary>
internal abstract record Block;

/// <summary>A section heading.</summary>
internal sealed record Heading(int Level, string Text) : Block;

/// <summary>A paragraph of plain text.</summary>
internal sealed record Paragraph(string Text) : Block;

/// <summary>A table; the first column is left-aligned, the others right-aligned (numbers).</summary>
internal sealed record Table(IReadOnlyList<string> Header, IReadOnlyList<IReadOnlyList<string>> Rows) : Block;

/// <summary>A PNG figure with a caption; the Markdown links <see cref="FileName"/>, the HTML embeds the bytes.</summary>
internal sealed record Figure(string FileName, string Caption, byte[] Png) : Block;

/// <summary>
/// A report as a list of blocks, rendered to Markdown (figures beside it as PNG files) and to one
/// self-contained HTML file (figures inlined), so that the two say the same thing.
/// </summary>
internal sealed class ReportDocument
{
    private readonly List<Block> _blocks = [];

    public IReadOnlyList<Block> Blocks => _blocks;

    public ReportDocument Add(Block block)
    {
        _blocks.Add(block);
        return this;
    }

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        foreach (Block block in _blocks)
        {
            switch (block)
            {
                case Heading h:
                    md.Append('#', h.Level).Append(' ').AppendLine(h.Text).AppendLine();
                    break;
                case Paragraph p:
                    md.AppendLine(p.Text).AppendLine();
                    break;
                case Table t:
                    md.Append("| ").AppendJoin(" | ", t.Header.Select(EscapeCell)).AppendLine(" |");
                    md.Append("|---").Append(string.Concat(Enumerable.Repeat("|---:", t.Header.Count - 1))).AppendLine("|");
                    foreach (IReadOnlyList<string> row in t.Rows) md.Append("| ").AppendJoin(" | ", row.Select(EscapeCell)).AppendLine(" |");
                    md.AppendLine();
                    break;
                case Figure f:
                    md.Append("![").Append(f.Caption).Append("](").Append(f.FileName).AppendLine(")").AppendLine();
                    md.Append('*').Append(f.Caption).AppendLine("*").AppendLine();
                    break;
            }
        }

        return md.ToString();
    }

    public string ToHtml(string title)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>").AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<title>").Append(Encode(title)).AppendLine("</title>")
            .AppendLine("<style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
                + "table{border-collapse:collapse;margin:1em 0;font-size:90%}th,td{border:1px solid #ccc;padding:.3em .6em}"
                + "td:not(:first-child){text-align:right;font-variant-numeric:tabular-nums}th{background:#f3f3f3}"
                + "figure{margin:1.5em 0}figcaption{font-style:italic;color:#555}img{max-width:100%}</style>")
            .AppendLine("</head><body>");
        foreach (Block block in _blocks)
        {
            switch (block)
            {
                case Heading h:
                    html.Append("<h").Append(h.Level).Append('>').Append(Encode(h.Text)).Append("</h").Append(h.Level).AppendLine(">");
                    break;
                case Paragraph p:
                    html.Append("<p>").Append(Encode(p.Text)).AppendLine("</p>");
                    break;
                case Table t:
                    html.Append("<table><thead><tr>").AppendJoin("", t.Header.Select(c => $"<th>{Encode(c)}</th>")).AppendLine("</tr></thead><tbody>");
                    foreach (IReadOnlyList<string> row in t.Rows) html.Append("<tr>").AppendJoin("", row.Select(c => $"<td>{Encode(c)}</td>")).AppendLine("</tr>");
                    html.AppendLine("</tbody></table>");
                    break;
                case Figure f:
                    html.Append("<figure><img alt=\"").Append(Encode(f.Caption)).Append("\" src=\"data:image/png;base64,")
                        .Append(Convert.ToBase64String(f.Png)).Append("\"><figcaption>").Append(Encode(f.Caption)).AppendLine("</figcaption></figure>");
                    break;
            }
        }

        return html.AppendLine("</body></html>").ToString();
    }

    private static string EscapeCell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
