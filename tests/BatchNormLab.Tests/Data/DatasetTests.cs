using BatchNormLab.Data;
using BatchNormLab.Tensors;

namespace BatchNormLab.Tests.Data;

public class DatasetTests
{
    private static Dataset Small() => new("small",
        Matrix<float>.FromRows([0f, 1f], [2f, 3f], [4f, 5f], [6f, 7f], [8f, 9f]),
        [2, 0, 1, 2, 0], ["a", "b", "c"]);

    [Fact]
    public void Counts_classes()
    {
        Assert.Equal([2, 1, 2], Small().ClassCounts());
    }

    [Fact]
    public void Take_copies_the_first_examples()
    {
        var d = Small();
        var t = d.Take(2);
        Assert.Equal([2, 0], t.Labels);
        Assert.Equal([0f, 1f, 2f, 3f], t.Images.Data);
        t.Images[0, 0] = 99;
        Assert.Equal(0f, d.Images[0, 0]);
    }

    [Fact]
    public void WhereClass_keeps_file_order_and_labels()
    {
        var w = Small().WhereClass(2, 0);
        Assert.Equal([2, 0, 2, 0], w.Labels);
        Assert.Equal([0f, 2f, 6f, 8f], Enumerable.Range(0, w.Count).Select(i => w.Images[i, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Small().WhereClass(3));
    }

    [Fact]
    public void Subset_and_transform_make_copies()
    {
        var d = Small();
        var s = d.Subset([4, 0]);
        Assert.Equal([0, 2], s.Labels);
        Assert.Equal([8f, 9f, 0f, 1f], s.Images.Data);
        var inv = d.Transform(x => 10 - x);
        Assert.Equal(10f, inv.Images[0, 0]);
        Assert.Equal(0f, d.Images[0, 0]);
        Assert.Equal(d.Labels, inv.Labels);
    }

    [Fact]
    public void Bad_labels_and_shapes_are_named()
    {
        var x = new Matrix<float>(2, 2);
        Assert.Contains("3 labels for 2 examples", Assert.Throws<ArgumentException>(() => new Dataset("d", x, [0, 1, 1], ["a", "b"])).Message);
        Assert.Contains("example 1 is 5", Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset("d", x, [0, 5], ["a", "b"])).Message);
    }
}
