using BatchNormLab.Measurements;

namespace BatchNormLab.Tests.Measurements;

public class GradientGeometryTests
{
    [Fact]
    public void Distance_and_cosine_agree_with_their_definitions_over_blocks()
    {
        float[][] a = [[3, 0], [0, 4, 1]];
        float[][] b = [[0, 2], [1, 0, 1]];
        Assert.Equal(Math.Sqrt(9 + 4 + 1 + 16 + 0), GradientGeometry.Distance(a, b), 12);
        Assert.Equal(1 / (Math.Sqrt(26) * Math.Sqrt(6)), GradientGeometry.Cosine(a, b), 12);
        Assert.Equal(1, GradientGeometry.Cosine([1f, 2, 3], [2f, 4, 6]), 12);
        Assert.Equal(-1, GradientGeometry.Cosine([1f, -2], [-0.5f, 1]), 12);
        Assert.True(double.IsNaN(GradientGeometry.Cosine([0f, 0], [1f, 1])));
        Assert.Contains("block 1", Assert.Throws<ArgumentException>(() => GradientGeometry.Distance(a, [[0, 2], [1, 0]])).Message);
    }
}
