using System.Text.RegularExpressions;

namespace BatchNormLab.Notebooks.Tests;

public class ImageGridTests
{
    [Fact]
    public void Each_row_is_one_bmp_strip_with_the_images_side_by_side_dark_on_white()
    {
        var black = Enumerable.Repeat(1f, 9).ToArray();
        var white = new float[9];
        var grid = new ImageGrid("t <b>", [("row 1", [black, white]), ("row 2", [white, white])], Side: 3);
        var html = grid.ToHtml();
        Assert.Contains("t &lt;b&gt;", html);
        var strips = Regex.Matches(html, "data:image/bmp;base64,([A-Za-z0-9+/=]+)").Select(m => Convert.FromBase64String(m.Groups[1].Value)).ToList();
        Assert.Equal(2, strips.Count);
        var bmp = strips[0];
        Assert.Equal((byte)'B', bmp[0]);
        Assert.Equal(bmp.Length, BitConverter.ToInt32(bmp, 2));
        Assert.Equal(3 + 2 + 3, BitConverter.ToInt32(bmp, 18));   // two images and a 2-pixel gap
        Assert.Equal(3, BitConverter.ToInt32(bmp, 22));
        Assert.Equal(0, bmp[54]);          // pixel value 1 is drawn black
        Assert.Equal(255, bmp[54 + 3 * 3]); // the gap is white
        Assert.Equal(255, bmp[54 + 3 * 5]); // pixel value 0 is white
    }
}
