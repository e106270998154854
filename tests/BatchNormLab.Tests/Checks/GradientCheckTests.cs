using BatchNormLab.Checks;
using BatchNormLab.Layers;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;
using Xunit.Abstractions;

namespace BatchNormLab.Tests.Checks;

/// <summary>The checker itself: it must catch a wrong gradient, and be accurate where the data are awkward.</summary>
public class GradientCheckTests(ITestOutputHelper output)
{
    [Fact]
    public void CatchesABatchNormBackwardThatForgetsTheStatisticsPaths()
    {
        // A classic bug: treating μ_B and σ²_B as constants, dx = γ/√(σ²_B + ε) · dy.
        var rng = new Random(1);
        var x = TestData.Features(8, [0, 5, -3], [1, 2, 0.5], rng);
        var bn = new BatchNorm<double>("bn", 3) { Mode = Mode.Training };
        TestData.RandomAffine(bn, rng);
        var dy = TestData.Gaussian<double>(8, 3, rng);
        bn.Forward(x);
        var wrong = new double[x.Data.Length];
        for (var i = 0; i < 8; i++)
            for (var j = 0; j < 3; j++)
                wrong[i * 3 + j] = bn.Gamma.Value.Data[j] / Math.Sqrt(bn.BatchVariance[j] + 1e-5) * dy[i, j];
        var r = GradientCheck.Check(() => TestData.Dot(dy, bn.Forward(x)), x.Data, wrong);
        output.WriteLine($"wrong backward: {r}");
        Assert.True(r.MaxRelativeError > 1e-2 && r.MaxScaledError > 1e-2, r.ToString());
    }

    [Fact]
    public void DividesByTheStepActuallyTaken()
    {
        // At θ = 1000 a step of 1e-9 is rounded to a multiple of ulp(1000) ≈ 1.1e-13; dividing by 2h would be
        // off by up to ~1e-4 for f(θ) = θ, dividing by the realised step gives exactly 1.
        var values = new[] { 1000.0 };
        var numeric = GradientCheck.Numeric(() => values[0], values, 0, 1e-9);
        output.WriteLine($"d(theta)/d(theta) at 1000 with h=1e-9: {numeric:R} (naive: {((1000.0 + 1e-9) - (1000.0 - 1e-9)) / 2e-9:R})");
        Assert.Equal(1.0, numeric);
        Assert.Equal(1000.0, values[0]);
    }

    [Fact]
    public void FourthOrderStencilIsMoreAccurate()
    {
        var values = new[] { 0.7 };
        double F() => Math.Exp(3 * values[0]);
        var exact = 3 * Math.Exp(2.1);
        var second = Math.Abs(GradientCheck.Numeric(F, values, 0, 1e-3) - exact) / exact;
        var fourth = Math.Abs(GradientCheck.NumericFourthOrder(F, values, 0, 1e-3) - exact) / exact;
        output.WriteLine($"relative error, h=1e-3: second order {second:E2}, fourth order {fourth:E2}");
        Assert.True(fourth < 1e-10 && second > 1e-7, $"second {second:E2}, fourth {fourth:E2}");
    }

    [Fact]
    public void ColumnStepsFollowEachFeaturesSpread()
    {
        var x = Matrix<double>.FromRows([1000.0, 0, 5], [1000.02, 2, 5]);
        var steps = GradientCheck.ColumnSteps(x, 1e-2);
        Assert.Equal(1e-4, steps[0], 12); // spread 0.01
        Assert.Equal(1e-2, steps[1], 12); // spread 1
        Assert.Equal(1e-2, steps[2], 12); // constant column: spread taken as 1
        Assert.Equal(steps[0], steps[3]);
    }

    [Fact]
    public void MismatchedLengthsAreRefused()
    {
        var ex = Assert.Throws<ArgumentException>(() => GradientCheck.Check(() => 0, new double[3], new double[2]));
        Assert.Contains("2 analytic gradients for 3 values", ex.Message);
    }
}
