using BatchNormLab.Checks;
using BatchNormLab.Layers;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;
using Xunit.Abstractions;

namespace BatchNormLab.Tests.Normalization;

/// <summary>
/// BN's dx, dγ, dβ against central differences in double, for ℓ = Σ dy ⊙ y with a random upstream dy
/// (an all-ones dy makes the true dx ≈ 0, so such a check cannot fail).
/// </summary>
public class BatchNormGradientTests(ITestOutputHelper output)
{
    public const double Tolerance = 1e-7;

    // Features: ordinary; a large mean with a tiny spread (breaks a one-pass variance, and a step not scaled
    // to the data); a negative offset with a wide spread; a spread near √ε (ε then matters in the gradient).
    private static readonly double[] Means = [0.3, 1000, -20, 2];
    private static readonly double[] Stds = [1, 0.01, 4, 0.003];

    // The step: 1 % of the feature's spread with the fourth-order stencil (truncation O((h/σ)⁴), about 1e-8 here),
    // far enough above the rounding of x ≈ 1000 that the noise in f stays small next to f(x + h) − f(x − h).
    private const double RelativeStep = 1e-2;

    [Theory]
    [InlineData(2, BatchNormBackward.ClosedForm)]
    [InlineData(3, BatchNormBackward.ClosedForm)]
    [InlineData(16, BatchNormBackward.ClosedForm)]
    [InlineData(64, BatchNormBackward.ClosedForm)]
    [InlineData(2, BatchNormBackward.Graph)]
    [InlineData(3, BatchNormBackward.Graph)]
    [InlineData(16, BatchNormBackward.Graph)]
    [InlineData(64, BatchNormBackward.Graph)]
    public void GradientsMatchCentralDifferences(int m, BatchNormBackward form)
    {
        var d = Means.Length;
        var rng = new Random(100 + m);
        var x = TestData.Features(m, Means, Stds, rng);
        var bn = new BatchNorm<double>("bn", d) { Mode = Mode.Training, BackwardForm = form };
        TestData.RandomAffine(bn, rng);
        var dy = TestData.Gaussian<double>(m, d, rng);

        bn.Forward(x);
        var dx = bn.Backward(dy)!.Clone();
        var dGamma = (double[])bn.Gamma.Grad.Data.Clone();
        var dBeta = (double[])bn.Beta.Grad.Data.Clone();
        double Loss() => TestData.Dot(dy, bn.Forward(x));

        var steps = GradientCheck.ColumnSteps(x, RelativeStep); // row-major: feature j's step is steps[j]
        for (var j = 0; j < d; j++)
        {
            // One feature at a time: each has its own gradient scale γ_j/σ_j.
            var column = new double[m];
            var analytic = new double[m];
            for (var i = 0; i < m; i++) (column[i], analytic[i]) = (x[i, j], dx[i, j]);
            var jj = j;
            double ColumnLoss()
            {
                for (var i = 0; i < m; i++) x[i, jj] = column[i];
                return Loss();
            }
            var r = GradientCheck.Check(ColumnLoss, column, analytic, Enumerable.Repeat(steps[j], m).ToArray(), fourthOrder: true);
            for (var i = 0; i < m; i++) x[i, j] = column[i]; // the last loss call left a perturbed value
            output.WriteLine($"m={m} {form} dx feature {j} (mean {Means[j]}, std {Stds[j]}): {r}");
            Assert.True(r.MaxScaledError <= Tolerance, $"dx, feature {j}: {r}");
            // Element-wise too, except where |mean| ≫ spread: there f(x ± h) carries rounding of order
            // ulp(1000)/σ, and an element that is small by cancellation sees it as a large relative error.
            if (Math.Abs(Means[j]) <= 1000 * Stds[j])
                Assert.True(r.MaxRelativeError <= Tolerance, $"dx, feature {j}: {r}");
        }
        var rg = GradientCheck.Check(Loss, bn.Gamma.Value.Data, dGamma);
        var rb = GradientCheck.Check(Loss, bn.Beta.Value.Data, dBeta);
        output.WriteLine($"m={m} {form}: dgamma {rg}; dbeta {rb}");
        Assert.True(rg.MaxRelativeError <= Tolerance, $"dgamma: {rg}");
        Assert.True(rb.MaxRelativeError <= Tolerance, $"dbeta: {rb}");
    }
}
