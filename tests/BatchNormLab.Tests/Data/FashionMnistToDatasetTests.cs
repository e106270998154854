using BatchNormLab.Data;

namespace BatchNormLab.Tests.Data;

/// <summary>FashionMnist.ToDataset: the decoding Load uses, for IDX arrays from elsewhere (the browser lab's download).</summary>
public class FashionMnistToDatasetTests
{
    private static IdxArray Images(int n, Func<int, byte> pixel)
    {
        var data = new byte[n * 784];
        for (var i = 0; i < data.Length; i++) data[i] = pixel(i);
        return new IdxArray(IdxArray.ImagesMagic, [n, 28, 28], data);
    }

    [Fact]
    public void Scales_pixels_to_the_unit_interval_and_keeps_labels_in_order()
    {
        var images = Images(3, i => (byte)(i % 256));
        var labels = new IdxArray(IdxArray.LabelsMagic, [3], [9, 0, 4]);
        var d = FashionMnist.ToDataset("t", images, "imgs", labels, "lbls", 3);
        Assert.Equal(3, d.Count);
        Assert.Equal(784, d.Features);
        Assert.Equal([9, 0, 4], d.Labels);
        for (var i = 0; i < images.Data.Length; i++) Assert.Equal(images.Data[i] / 255f, d.Images.Data[i]);
        Assert.Same(images.Data, d.Pixels); // kept as the byte form the minibatches read
        Assert.Equal(FashionMnist.ClassNames, d.ClassNames);
    }

    [Fact]
    public void A_wrong_count_shape_or_label_names_the_source()
    {
        var labels = new IdxArray(IdxArray.LabelsMagic, [2], [1, 2]);
        var e = Assert.Throws<DataFileException>(() => FashionMnist.ToDataset("t", Images(2, _ => 0), "imgs", labels, "lbls", 3));
        Assert.Contains("imgs", e.Message);
        var wrongShape = new IdxArray(IdxArray.ImagesMagic, [2, 14, 56], new byte[2 * 784]);
        Assert.Contains("imgs", Assert.Throws<DataFileException>(() => FashionMnist.ToDataset("t", wrongShape, "imgs", labels, "lbls", 2)).Message);
        var badLabel = new IdxArray(IdxArray.LabelsMagic, [2], [1, 10]);
        e = Assert.Throws<DataFileException>(() => FashionMnist.ToDataset("t", Images(2, _ => 0), "imgs", badLabel, "lbls", 2));
        Assert.Contains("lbls", e.Message);
        Assert.Contains("label 10", e.Message);
    }
}
