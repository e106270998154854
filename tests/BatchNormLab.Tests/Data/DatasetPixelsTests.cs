using BatchNormLab.Data;

namespace BatchNormLab.Tests.Data;

/// <summary>A data set's byte form (Pixels) follows its floats through Take and Subset and is dropped where values change.</summary>
public class DatasetPixelsTests
{
    private static Dataset WithPixels()
    {
        var (pixels, labels) = PixelData.Random(rows: 40, features: 13, classes: 3, seed: 6);
        return PixelData.WithPixels(pixels, 13, labels, 3);
    }

    // Pixels / 255 == Images for every element (and the shapes agree).
    private static void AssertConsistent(Dataset d)
    {
        Assert.NotNull(d.Pixels);
        Assert.Equal(d.Images.Data.Length, d.Pixels.Length);
        for (var i = 0; i < d.Pixels.Length; i++) Assert.Equal(d.Pixels[i] / 255f, d.Images.Data[i]);
    }

    [Fact]
    public void Take_keeps_the_first_rows_bytes()
    {
        var d = WithPixels();
        var t = d.Take(7);
        AssertConsistent(t);
        Assert.Equal(d.Pixels![..(7 * 13)], t.Pixels);
        t.Pixels![0] ^= 1;
        Assert.NotEqual(t.Pixels[0], d.Pixels[0]); // a copy, not a view
    }

    [Fact]
    public void Subset_and_WhereClass_gather_the_bytes_with_the_rows()
    {
        var d = WithPixels();
        var s = d.Subset([39, 0, 17, 17]);
        AssertConsistent(s);
        Assert.Equal(d.Pixels.AsSpan(39 * 13, 13).ToArray(), s.Pixels.AsSpan(0, 13).ToArray());
        Assert.Equal(d.Pixels.AsSpan(17 * 13, 13).ToArray(), s.Pixels.AsSpan(3 * 13, 13).ToArray());
        AssertConsistent(d.WhereClass(2));
    }

    [Fact]
    public void Transform_and_the_public_constructor_have_no_byte_form()
    {
        var d = WithPixels();
        Assert.Null(d.Transform(x => 1 - x).Pixels);
        Assert.Null(new Dataset("floats", d.Images, d.Labels, d.ClassNames).Pixels);
        Assert.Null(SyntheticData.GaussianBlobs(2, 3, 5, seed: 1).Take(4).Pixels);
    }

    [Fact]
    public void A_byte_form_of_the_wrong_length_is_refused()
    {
        var d = WithPixels();
        var e = Assert.Throws<ArgumentException>(() => new Dataset("bad", d.Images, new byte[d.Images.Data.Length - 1], d.Labels, d.ClassNames));
        Assert.Contains("519 pixel bytes for 520 inputs", e.Message);
    }
}
