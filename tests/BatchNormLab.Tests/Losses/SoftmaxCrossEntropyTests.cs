using BatchNormLab.Checks;
using BatchNormLab.Losses;
using BatchNormLab.Tensors;
using Xunit.Abstractions;

namespace BatchNormLab.Tests.Losses;

public class SoftmaxCrossEntropyTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(1000.0)] // exp would overflow without subtracting the row maximum
    public void GradientMatchesCentralDifferences(double offset)
    {
        var rng = new Random(5);
        var z = TestData.Gaussian<double>(7, 4, rng, std: 2);
        for (var i = 0; i < z.Data.Length; i++) z.Data[i] += offset;
        var labels = TestData.Labels(7, 4, rng);
        var ce = new SoftmaxCrossEntropy<double>();
        var loss = ce.Forward(z, labels);
        Assert.True(double.IsFinite(loss) && loss > 0, $"loss {loss}");
        var dz = ce.Backward().Clone();
        // Steps scaled to the logits: at 1000 a step of 1e-5 is close to the rounding of z itself.
        var steps = Enumerable.Repeat(1e-3, z.Data.Length).ToArray();
        var r = GradientCheck.Check(() => ce.Forward(z, labels), z.Data, dz.Data, steps, fourthOrder: true);
        output.WriteLine($"softmax cross-entropy, logits offset {offset}: {r}");
        Assert.True(r.MaxRelativeError <= 1e-7, r.ToString());
    }

    [Fact]
    public void LossMatchesHandComputation()
    {
        var z = Matrix<double>.FromRows([1.0, 2.0, 0.5], [-1.0, 0.0, 3.0]);
        var ce = new SoftmaxCrossEntropy<double>();
        var loss = ce.Forward(z, [1, 0]);
        double Lse(double a, double b, double c) => Math.Log(Math.Exp(a) + Math.Exp(b) + Math.Exp(c));
        var expected = ((Lse(1, 2, 0.5) - 2) + (Lse(-1, 0, 3) + 1)) / 2;
        Assert.Equal(expected, loss, 14);
    }

    [Fact]
    public void LabelCountMismatchNamesBothCounts()
    {
        var ce = new SoftmaxCrossEntropy<float>();
        var ex = Assert.Throws<ArgumentException>(() => ce.Forward(new Matrix<float>(60, 10), new int[59]));
        Assert.Contains("Shape mismatch", ex.Message);
        Assert.Contains("59 labels", ex.Message);
        Assert.Contains("60x10", ex.Message);
    }

    [Fact]
    public void LabelOutOfRangeNamesRowAndClasses()
    {
        var ce = new SoftmaxCrossEntropy<float>();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ce.Forward(new Matrix<float>(3, 10), [1, 10, 2]));
        Assert.Contains("row 1", ex.Message);
        Assert.Contains("0..9", ex.Message);
    }

    [Fact]
    public void NonFiniteLogitsNameTheRow()
    {
        var ce = new SoftmaxCrossEntropy<float>();
        var z = new Matrix<float>(3, 4);
        z[2, 1] = float.NaN;
        var ex = Assert.Throws<ArgumentException>(() => ce.Forward(z, [0, 1, 2]));
        Assert.Contains("row 2", ex.Message);
        Assert.Contains("not finite", ex.Message);
    }
}
