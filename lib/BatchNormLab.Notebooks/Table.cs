using System.Net;
using System.Text;

namespace BatchNormLab.Notebooks;

/// <summary>A small table of labelled results (e.g. a gradient check per parameter, timings), shown as HTML.</summary>
public sealed class Table
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    /// <summary>Creates a table with the given column headers.</summary>
    public Table(params string[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.Length == 0) throw new ArgumentException("A table needs at least one column.", nameof(headers));
        _headers = headers;
    }

    /// <summary>Adds a row; numbers are shown with 4 significant digits. Returns this for chaining.</summary>
    public Table Row(params object[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != _headers.Length)
            throw new ArgumentException($"Row has {cells.Length} cells; the table has {_headers.Length} columns.", nameof(cells));
        _rows.Add(cells.Select(Text).ToArray());
        return this;
    }

    /// <summary>Number of rows.</summary>
    public int RowCount => _rows.Count;

    /// <summary>The HTML table.</summary>
    public string ToHtml()
    {
        const string cell = "padding: 2px 8px; border: 1px solid #ddd; text-align: right;";
        var sb = new StringBuilder("<table class=\"bnl-table\" style=\"border-collapse: collapse; font-size: 13px;\"><tr>");
        foreach (var h in _headers) sb.Append("<th style=\"").Append(cell).Append("\">").Append(WebUtility.HtmlEncode(h)).Append("</th>");
        sb.Append("</tr>");
        foreach (var row in _rows)
        {
            sb.Append("<tr>");
            foreach (var c in row) sb.Append("<td style=\"").Append(cell).Append("\">").Append(WebUtility.HtmlEncode(c)).Append("</td>");
            sb.Append("</tr>");
        }
        return sb.Append("</table>").ToString();
    }

    private static string Text(object? o) => o switch
    {
        null => "",
        double d => Prose.Tidy(MatrixTable.Number(d)),
        float f => Prose.Tidy(MatrixTable.Number(f)),
        string s => HumanLabels.Of(Prose.Tidy(s)),
        _ => o.ToString() ?? "",
    };
}
