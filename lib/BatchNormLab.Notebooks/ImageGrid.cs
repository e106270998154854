using System.Net;

namespace BatchNormLab.Notebooks;

/// <summary>
/// Rows of small grayscale images (e.g. a generator's samples at several points of training), shown as one
/// labelled strip per row. Each strip is an uncompressed BMP in a data URI: no encoder package, and it
/// survives the page renderer (which empties SVG outputs).
/// </summary>
/// <param name="Title">Caption above the grid.</param>
/// <param name="Rows">One label and its images per row; every image is side × side pixels in [0, 1], row-major.</param>
/// <param name="Side">Image width and height in pixels.</param>
/// <param name="Scale">Display magnification.</param>
public sealed record ImageGrid(string Title, IReadOnlyList<(string Label, IReadOnlyList<float[]> Images)> Rows, int Side = 28, int Scale = 2)
{
    /// <summary>The grid as an HTML table.</summary>
    public string ToHtml()
    {
        var html = new System.Text.StringBuilder();
        html.Append("<div class=\"bnl-image-grid\"><div style=\"font-weight:bold;margin:4px 0\">").Append(WebUtility.HtmlEncode(Title)).Append("</div><table>");
        foreach (var (label, images) in Rows)
        {
            var strip = Strip(images);
            html.Append("<tr><td style=\"text-align:right;padding-right:8px;white-space:nowrap\">").Append(WebUtility.HtmlEncode(label))
                .Append("</td><td><img alt=\"").Append(WebUtility.HtmlEncode(label)).Append("\" style=\"image-rendering:pixelated;max-width:100%;width:")
                .Append(strip.Width * Scale).Append("px\" src=\"data:image/bmp;base64,").Append(Convert.ToBase64String(strip.Bmp)).Append("\"></td></tr>");
        }
        return html.Append("</table></div>").ToString();
    }

    // The images side by side with a 2-pixel white gap, as a 24-bit bottom-up BMP.
    private (byte[] Bmp, int Width) Strip(IReadOnlyList<float[]> images)
    {
        const int gap = 2;
        var width = images.Count * (Side + gap) - gap;
        var rowBytes = (width * 3 + 3) & ~3;
        var bmp = new byte[54 + rowBytes * Side];
        void Int(int offset, int value) => BitConverter.GetBytes(value).CopyTo(bmp, offset);
        bmp[0] = (byte)'B'; bmp[1] = (byte)'M';
        Int(2, bmp.Length); Int(10, 54); Int(14, 40); Int(18, width); Int(22, Side);
        bmp[26] = 1; bmp[28] = 24; Int(34, rowBytes * Side);
        for (var y = 0; y < Side; y++)
        {
            var row = 54 + (Side - 1 - y) * rowBytes;
            for (var x = 0; x < width; x++)
            {
                var k = x / (Side + gap);
                var px = x % (Side + gap);
                var v = px >= Side ? (byte)255 : (byte)Math.Clamp(Math.Round(255 * (1 - images[k][y * Side + px])), 0, 255);   // dark garments on white
                bmp[row + 3 * x] = bmp[row + 3 * x + 1] = bmp[row + 3 * x + 2] = v;
            }
        }
        return (bmp, width);
    }
}
