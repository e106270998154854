using System.Globalization;
using System.Net;
using System.Numerics;
using System.Text;
using BatchNormLab.Tensors;

namespace BatchNormLab.Notebooks;

/// <summary>Compact HTML tables for small matrices (a batch, per-feature vectors); large ones are elided.</summary>
public static class MatrixTable
{
    /// <summary>Rows and columns shown before eliding the middle.</summary>
    public const int MaxShown = 12;

    /// <summary>Formats a number with 4 significant digits, the way every table here shows values.</summary>
    public static string Number(double v) =>
        double.IsNaN(v) ? "NaN"
        : v == 0 ? "0"
        : Math.Abs(v) is >= 1e-3 and < 1e5 ? v.ToString("G4", CultureInfo.InvariantCulture)
        : v.ToString("0.###E+0", CultureInfo.InvariantCulture);

    /// <summary>The HTML table for <paramref name="m"/>, with an optional caption (e.g. the paper's symbol).</summary>
    public static string Html<T>(Matrix<T> m, string? caption) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(m);
        var rows = Indices(m.Rows);
        var cols = Indices(m.Cols);
        var sb = new StringBuilder();
        sb.Append("<table class=\"bnl-matrix\" style=\"border-collapse: collapse; font-family: monospace; font-size: 12px; margin: 2px 8px 2px 0;\">");
        sb.Append("<caption style=\"caption-side: top; text-align: left; font-weight: bold;\">")
          .Append(WebUtility.HtmlEncode(caption is null ? string.Empty : caption + " "))
          .Append("<span style=\"font-weight: normal; color: #888;\">").Append(m.Rows).Append("×").Append(m.Cols).Append("</span></caption>");
        foreach (var r in rows)
        {
            sb.Append("<tr>");
            foreach (var c in cols)
            {
                var text = r < 0 || c < 0 ? "…" : Number(double.CreateChecked(m[r, c]));
                sb.Append("<td style=\"padding: 1px 6px; text-align: right; border: 1px solid #ddd;\">").Append(text).Append("</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</table>");
        return sb.ToString();
    }

    /// <summary>0..n-1, or the first and last few with -1 marking the elided middle.</summary>
    internal static IReadOnlyList<int> Indices(int n)
    {
        if (n <= MaxShown) return Enumerable.Range(0, n).ToArray();
        var half = MaxShown / 2;
        return [.. Enumerable.Range(0, half), -1, .. Enumerable.Range(n - half, half)];
    }
}
