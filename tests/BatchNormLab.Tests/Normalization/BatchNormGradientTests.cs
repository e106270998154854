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
    /// <summary>
    /// After an inference-mode forward pass BN is y = γ (x − E[x])/√(Var[x] + ε) + β with the running estimates fixed:
    /// dx, dγ, dβ against central differences, with running estimates far from the batch's own statistics (so a
    /// backward that used μ_B, σ²_B, or coupled the examples, would fail), and the running estimates left untouched.
    /// </summary>
    [Theory]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(32)]
    public void InferenceModeGradientsMatchCentralDifferences(int m)
    {
        var d = Means.Length;
        var rng = new Random(200 + m);
        var x = TestData.Features(m, Means, Stds, rng);
        var bn = new BatchNorm<double>("bn", d) { Mode = Mode.Inference };
        TestData.RandomAffine(bn, rng);
        for (var j = 0; j < d; j++)
        {
            bn.RunningMean[j] = Means[j] + Stds[j] * (2 * rng.NextDouble() - 1) * 3;
            bn.RunningVariance[j] = Stds[j] * Stds[j] * (0.3 + 3 * rng.NextDouble());
        }
        var runningMean = (double[])bn.RunningMean.Clone();
        var runningVariance = (double[])bn.RunningVariance.Clone();
        var dy = TestData.Gaussian<double>(m, d, rng);

        bn.Forward(x);
        var dx = bn.Backward(dy)!.Clone();
        var dGamma = (double[])bn.Gamma.Grad.Data.Clone();
        var dBeta = (double[])bn.Beta.Grad.Data.Clone();
        double Loss() => TestData.Dot(dy, bn.Forward(x));

        // Steps scaled to each feature's spread, as above (the map is affine, so truncation error is nil; rounding remains).
        var rx = GradientCheck.Check(Loss, x.Data, dx.Data, GradientCheck.ColumnSteps(x, RelativeStep), fourthOrder: true);
        // ℓ is linear in γ and β, so any step is exact but for rounding; the folded forward (scale·x + shift, with
        // shift ≈ −γ·E[x]/σ ≈ −1e5 for the feature at 1000) rounds at about 1e-11, so a large step keeps that small.
        var rg = GradientCheck.Check(Loss, bn.Gamma.Value.Data, dGamma, h: 1e-2);
        var rb = GradientCheck.Check(Loss, bn.Beta.Value.Data, dBeta, h: 1e-2);
        output.WriteLine($"m={m} inference: dx {rx}; dgamma {rg}; dbeta {rb}");
        Assert.True(rx.MaxScaledError <= Tolerance, $"dx: {rx}");
        Assert.True(rg.MaxRelativeError <= Tolerance, $"dgamma: {rg}");
        Assert.True(rb.MaxRelativeError <= Tolerance, $"dbeta: {rb}");
        // dx is γ/√(Var[x] + ε) · dy element by element: no example's gradient depends on another's.
        for (var i = 0; i < m; i++)
            for (var j = 0; j < d; j++)
                Assert.Equal(bn.Gamma.Value.Data[j] / Math.Sqrt(runningVariance[j] + 1e-5) * dy[i, j], dx[i, j], 12);
        Assert.Equal(runningMean, bn.RunningMean);
        Assert.Equal(runningVariance, bn.RunningVariance);
    }
}
