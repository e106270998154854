using BatchNormLab.Data;

namespace BatchNormLab.Tests.Data;

public class SyntheticDataTests
{
    [Fact]
    public void Same_seed_same_blobs_other_seed_other_blobs()
    {
        var a = SyntheticData.GaussianBlobs(3, 5, 20, seed: 7);
        var b = SyntheticData.GaussianBlobs(3, 5, 20, seed: 7);
        var c = SyntheticData.GaussianBlobs(3, 5, 20, seed: 8);
        Assert.Equal(a.Images.Data, b.Images.Data);
        Assert.Equal(a.Labels, b.Labels);
        Assert.NotEqual(a.Images.Data, c.Images.Data);
    }

    [Fact]
    public void Blobs_have_the_requested_shape_and_interleaved_balanced_classes()
    {
        var d = SyntheticData.GaussianBlobs(4, 6, 25, seed: 1);
        Assert.Equal(100, d.Count);
        Assert.Equal(6, d.Features);
        Assert.All(d.ClassCounts(), n => Assert.Equal(25, n));
        Assert.Equal([0, 1, 2, 3, 0, 1], d.Labels[..6]);
    }

    [Fact]
    public void Examples_spread_around_their_class_centre_with_the_requested_deviation()
    {
        const double spread = 0.5;
        var d = SyntheticData.GaussianBlobs(2, 4, 4_000, seed: 3, separation: 3, spread: spread);
        for (var c = 0; c < 2; c++)
        {
            var rows = Enumerable.Range(0, d.Count).Where(i => d.Labels[i] == c).ToArray();
            for (var j = 0; j < d.Features; j++)
            {
                var v = rows.Select(i => (double)d.Images[i, j]).ToArray();
                var mean = v.Average();
                var sd = Math.Sqrt(v.Select(x => (x - mean) * (x - mean)).Average());
                Assert.InRange(sd, spread * 0.95, spread * 1.05);
            }
        }
    }
}
