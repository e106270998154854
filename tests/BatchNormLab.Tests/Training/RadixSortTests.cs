using BatchNormLab.Training;

namespace BatchNormLab.Tests.Training;

public class RadixSortTests
{
    [Theory]
    [InlineData(0, 1.0)]
    [InlineData(10, 1.0)]     // below the cut-over: comparison sort
    [InlineData(64, 1.0)]
    [InlineData(6000, 3.0)]   // a probe's layer at batch 60
    [InlineData(25600, 1e30)] // batch 256, huge magnitudes
    [InlineData(5000, 1e-30)] // tiny and subnormal-adjacent magnitudes
    public void SortsLikeArraySort(int n, double scale)
    {
        var rng = new Random(n);
        var values = new float[n];
        for (var i = 0; i < n; i++)
            values[i] = rng.Next(10) == 0 ? (float)Math.Round(rng.NextDouble() * 4 - 2) // duplicates, zeros
                : (float)((rng.NextDouble() * 2 - 1) * scale);
        if (n > 3)
        {
            values[0] = float.MaxValue;
            values[1] = float.MinValue;
            values[2] = float.Epsilon;
            values[3] = -float.Epsilon;
        }
        var expected = (float[])values.Clone();
        Array.Sort(expected);
        RadixSort.Sort(values);
        Assert.Equal(expected, values);
    }

    [Fact]
    public void NegativeZeroSortsWithZero()
    {
        var values = Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? -0f : 0f).Append(-1f).Append(1f).ToArray();
        RadixSort.Sort(values);
        Assert.Equal(-1f, values[0]);
        Assert.Equal(1f, values[^1]);
        Assert.All(values[1..^1], v => Assert.Equal(0f, v));
    }
}
