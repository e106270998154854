using BatchNormLab.Checks;
using BatchNormLab.Layers;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;
using static BatchNormLab.Tests.Normalization.NormalizationTestData;

namespace BatchNormLab.Tests.Normalization;

public class BatchRenormTests
{
    private const double Tolerance = 1e-7;

    // The loss is linear in γ and β, so a large step has no truncation error and keeps rounding small.
    private const double LinearStep = 1e-2;

    /// <summary>The analytic backward of a renormalising forward with the given r, d (held constant).</summary>
    private static (Matrix<double> Dx, double[] DGamma, double[] DBeta) Analytic(
        Matrix<double> x, double[] gamma, double[] beta, double[] r, double[] d, Matrix<double> g, double eps)
    {
        int m = x.Rows, n = x.Cols;
        var mean = new double[n];
        var std = new double[n];
        var y = new Matrix<double>(m, n);
        var xHat = new Matrix<double>(m, n);
        BatchNormMath.BatchStatistics(x, mean, std);
        for (var j = 0; j < n; j++) std[j] = Math.Sqrt(std[j] + eps);
        BatchRenormMath.Normalize<double>(x, gamma, beta, mean, std, r, d, y, xHat);
        var dx = new Matrix<double>(m, n);
        var dGamma = new double[n];
        var dBeta = new double[n];
        BatchRenormMath.Backward<double>(g, xHat, gamma, std, r, d, dx, dGamma, dBeta);
        return (dx, dGamma, dBeta);
    }

    /// <summary>Σ G ⊙ y for the renormalising map with r, d fixed (the function whose gradient the backward pass claims to be).</summary>
    private static double FixedCorrectionLoss(Matrix<double> x, double[] gamma, double[] beta, double[] r, double[] d, Matrix<double> g, double eps)
    {
        var mean = new double[x.Cols];
        var std = new double[x.Cols];
        BatchNormMath.BatchStatistics(x, mean, std);
        for (var j = 0; j < x.Cols; j++) std[j] = Math.Sqrt(std[j] + eps);
        var y = new Matrix<double>(x.Rows, x.Cols);
        BatchRenormMath.Normalize<double>(x, gamma, beta, mean, std, r, d, y, new Matrix<double>(x.Rows, x.Cols));
        return Dot(g, y);
    }

    [Theory]
    // m = 2 is left out: there x̂ = ±r + d whatever x is, so ∂ℓ/∂x is O(ε) and drowns in rounding.
    [InlineData(3, 3, 1)]
    [InlineData(5, 4, 2)]
    [InlineData(16, 7, 3)]
    public void BackwardMatchesCentralDifferencesWithRAndDHeldConstant(int m, int n, int seed)
    {
        var rng = new Random(seed);
        // Features with large means and small spreads as well as ordinary ones.
        var x = Matrix(m, n, rng, mean: Vector(n, rng, -50, 50), scale: Vector(n, rng, 0.01, 3));
        var gamma = Vector(n, rng, 0.5, 2.5);
        var beta = Vector(n, rng, -1, 1);
        var r = Vector(n, rng, 0.4, 2.5);
        var d = Vector(n, rng, -1.5, 1.5);
        var g = Matrix(m, n, rng);
        const double eps = 1e-5;
        var (dx, dGamma, dBeta) = Analytic(x, gamma, beta, r, d, g, eps);

        var cx = GradientCheck.Check(() => FixedCorrectionLoss(x, gamma, beta, r, d, g, eps), x.Data, dx.Data);
        var cg = GradientCheck.Check(() => FixedCorrectionLoss(x, gamma, beta, r, d, g, eps), gamma, dGamma, h: LinearStep);
        var cb = GradientCheck.Check(() => FixedCorrectionLoss(x, gamma, beta, r, d, g, eps), beta, dBeta, h: LinearStep);
        Assert.True(cx.MaxRelativeError <= Tolerance, "dx: " + cx);
        Assert.True(cg.MaxRelativeError <= Tolerance, "dgamma: " + cg);
        Assert.True(cb.MaxRelativeError <= Tolerance, "dbeta: " + cb);
    }

    [Fact]
    public void WhenRAndDAreClippedTheFullForwardHasTheBackwardsGradient()
    {
        // Moving σ far below σ_B and μ far from μ_B: r = r_max and |d| = d_max for every feature, so r and d
        // are locally constant and the complete training forward (statistics, corrections, map) is what we differentiate.
        const int m = 6, n = 4;
        const double eps = 1e-5, rMax = 1.7, dMax = 0.8;
        var rng = new Random(11);
        var x = Matrix(m, n, rng, mean: Vector(n, rng, -3, 3), scale: Vector(n, rng, 1, 2));
        var gamma = Vector(n, rng, 0.5, 2.5);
        var beta = Vector(n, rng, -1, 1);
        var movingMean = Vector(n, rng, 20, 30);
        var movingStd = Vector(n, rng, 0.05, 0.1);
        var g = Matrix(m, n, rng);
        Matrix<double> y = new(m, n), xHat = new(m, n);
        double[] mean = new double[n], std = new double[n], r = new double[n], d = new double[n];
        double Loss()
        {
            BatchRenormMath.ForwardTraining<double>(x, gamma, beta, movingMean, movingStd, rMax, dMax, eps, y, xHat, mean, std, r, d);
            return Dot(g, y);
        }
        Loss();
        Assert.All(r, v => Assert.Equal(rMax, v));
        Assert.All(d, v => Assert.Equal(-dMax, v));
        var dx = new Matrix<double>(m, n);
        double[] dGamma = new double[n], dBeta = new double[n];
        BatchRenormMath.Backward<double>(g, xHat, gamma, std, r, d, dx, dGamma, dBeta);
        var cx = GradientCheck.Check(Loss, x.Data, dx.Data);
        var cg = GradientCheck.Check(Loss, gamma, dGamma, h: LinearStep);
        var cb = GradientCheck.Check(Loss, beta, dBeta, h: LinearStep);
        Assert.True(cx.MaxRelativeError <= Tolerance, "dx: " + cx);
        Assert.True(cg.MaxRelativeError <= Tolerance, "dgamma: " + cg);
        Assert.True(cb.MaxRelativeError <= Tolerance, "dbeta: " + cb);
    }

    [Fact]
    public void UnclippedCorrectionsGiveTheInferenceMapButTheGradientStillNormalisesOverTheBatch()
    {
        // Unclipped: x̂ = (x − μ_B)/σ_B · σ_B/σ + (μ_B − μ)/σ = (x − μ)/σ, the inference computation.
        // Its true derivative is γ/σ per element; the backward pass (r, d constant) keeps batch norm's
        // centring instead, so Σ_i ∂ℓ/∂x_i = 0 per feature. Both facts are asserted: the gradient is stopped.
        const int m = 8, n = 3;
        var rng = new Random(5);
        var x = Matrix(m, n, rng, mean: [1, -2, 0.5], scale: [1, 2, 0.5]);
        double[] gamma = [1.5, 0.7, 2], beta = [0.1, -0.3, 0.2];
        double[] movingMean = [0.9, -1.8, 0.45], movingStd = [0.6, 1.1, 0.3];
        Matrix<double> y = new(m, n), xHat = new(m, n);
        double[] mean = new double[n], std = new double[n], r = new double[n], d = new double[n];
        BatchRenormMath.ForwardTraining<double>(x, gamma, beta, movingMean, movingStd, 100, 100, 1e-5, y, xHat, mean, std, r, d);
        var inference = new Matrix<double>(m, n);
        BatchRenormMath.ForwardInference<double>(x, gamma, beta, movingMean, movingStd, inference);
        for (var i = 0; i < y.Data.Length; i++) Assert.Equal(inference.Data[i], y.Data[i], 1e-12);

        var g = Matrix(m, n, rng);
        var dx = new Matrix<double>(m, n);
        BatchRenormMath.Backward<double>(g, xHat, gamma, std, r, d, dx, new double[n], new double[n]);
        for (var j = 0; j < n; j++)
        {
            var sum = 0.0;
            var sumThroughRAndD = 0.0;
            for (var i = 0; i < m; i++)
            {
                sum += dx[i, j];
                sumThroughRAndD += g[i, j] * gamma[j] / movingStd[j];
            }
            Assert.Equal(0, sum, 1e-12);
            Assert.True(Math.Abs(sumThroughRAndD) > 1e-3, "the full derivative would not sum to 0");
        }
    }

    [Theory]
    [InlineData(2)]
    [InlineData(9)]
    public void WithRAndDFixedAtOneAndZeroItIsBatchNormInTrainingMode(int m)
    {
        const int n = 5;
        var rng = new Random(m);
        var x = Matrix(m, n, rng, mean: Vector(n, rng, -5, 5), scale: Vector(n, rng, 0.1, 4));
        var gamma = Vector(n, rng, 0.5, 2.5);
        var beta = Vector(n, rng, -1, 1);
        var g = Matrix(m, n, rng);
        var bn = new BatchNorm<double>("bn", n) { Mode = Mode.Training };
        // The paper's schedule starts with r_max = 1, d_max = 0 (warm-up); Fixed(1, 0) holds it there.
        foreach (var schedule in new[] { BatchRenormSchedule.Fixed(1, 0), BatchRenormSchedule.Paper })
        {
            var brn = new BatchRenorm<double>("brn", n, schedule) { Mode = Mode.Training };
            // Moving averages far from the batch: with r_max = 1, d_max = 0 they must not matter.
            Array.Fill(brn.RunningMean, 7.0);
            Array.Fill(brn.RunningStd, 0.2);
            gamma.CopyTo(bn.Gamma.Value.Data, 0);
            gamma.CopyTo(brn.Gamma.Value.Data, 0);
            beta.CopyTo(bn.Beta.Value.Data, 0);
            beta.CopyTo(brn.Beta.Value.Data, 0);
            var yBn = bn.Forward(x).Clone();
            var yBrn = brn.Forward(x).Clone();
            for (var i = 0; i < yBn.Data.Length; i++) Assert.Equal(yBn.Data[i], yBrn.Data[i], 1e-12);
            var dxBn = bn.Backward(g)!.Clone();
            var dxBrn = brn.Backward(g)!;
            for (var i = 0; i < dxBn.Data.Length; i++) Assert.Equal(dxBn.Data[i], dxBrn.Data[i], 1e-12);
            for (var j = 0; j < n; j++)
            {
                Assert.Equal(bn.Gamma.Grad.Data[j], brn.Gamma.Grad.Data[j], 1e-12);
                Assert.Equal(bn.Beta.Grad.Data[j], brn.Beta.Grad.Data[j], 1e-12);
            }
        }
    }

    [Fact]
    public void MovingAveragesFollowThePapersUpdateAfterTheCorrections()
    {
        const int m = 10, n = 3;
        const double rate = 0.25, eps = 1e-5;
        var rng = new Random(8);
        var x = Matrix(m, n, rng, mean: [3, -1, 0], scale: [2, 0.5, 1]);
        var layer = new BatchRenorm<double>("brn", n, BatchRenormSchedule.Fixed(1.5, 0.5), rate, eps) { Mode = Mode.Training };
        layer.Forward(x);
        var mean = new double[n];
        var variance = new double[n];
        BatchNormMath.BatchStatistics(x, mean, variance);
        for (var j = 0; j < n; j++)
        {
            var std = Math.Sqrt(variance[j] + eps);
            // r, d from the initial μ = 0, σ = 1 (before the update).
            Assert.Equal(Math.Clamp(std, 1 / 1.5, 1.5), layer.R[j], 1e-12);
            Assert.Equal(Math.Clamp(mean[j], -0.5, 0.5), layer.D[j], 1e-12);
            Assert.Equal(rate * mean[j], layer.RunningMean[j], 1e-12);
            Assert.Equal(1 + rate * (std - 1), layer.RunningStd[j], 1e-12);
        }
        Assert.Equal(1, layer.Step);
    }

    [Fact]
    public void InferenceUsesTheMovingAveragesAndIgnoresTheBatch()
    {
        const int n = 4;
        var rng = new Random(3);
        var layer = new BatchRenorm<double>("brn", n, BatchRenormSchedule.Fixed(3, 5), rate: 0.05) { Mode = Mode.Training };
        double[] trueMean = [2, -3, 0.5, 10], trueScale = [1, 3, 0.2, 5];
        for (var step = 0; step < 400; step++) layer.Forward(Matrix(32, n, rng, trueMean, trueScale));
        for (var j = 0; j < n; j++)
        {
            // Uniform on [μ − s, μ + s] has standard deviation s/√3.
            Assert.Equal(trueMean[j], layer.RunningMean[j], 0.1 * trueScale[j]);
            Assert.Equal(trueScale[j] / Math.Sqrt(3), layer.RunningStd[j], 0.1 * trueScale[j]);
        }
        layer.Mode = Mode.Inference;
        var gamma = Vector(n, rng, 0.5, 2);
        var beta = Vector(n, rng, -1, 1);
        gamma.CopyTo(layer.Gamma.Value.Data, 0);
        beta.CopyTo(layer.Beta.Value.Data, 0);
        var batch = Matrix(5, n, rng, trueMean, trueScale);
        var y = layer.Forward(batch).Clone();
        for (var i = 0; i < batch.Rows; i++)
        {
            var single = layer.Forward(batch.SliceRows(i, 1));
            for (var j = 0; j < n; j++)
            {
                var expected = gamma[j] * (batch[i, j] - layer.RunningMean[j]) / layer.RunningStd[j] + beta[j];
                Assert.Equal(expected, y[i, j], 1e-12);
                Assert.Equal(expected, single[0, j], 1e-12);
            }
        }
        Assert.Equal(400, layer.Step);
        Assert.Throws<InvalidOperationException>(() => layer.Backward(y));
    }

    [Fact]
    public void TrainingModeWithOneExampleIsAClearError()
    {
        var layer = new BatchRenorm<double>("brn1", 3) { Mode = Mode.Training };
        var ex = Assert.Throws<ArgumentException>(() => layer.Forward(new Matrix<double>(1, 3)));
        Assert.Contains("brn1", ex.Message);
        Assert.Contains("more than 1 value per feature", ex.Message);
        var bad = Assert.Throws<ArgumentException>(() => layer.Forward(new Matrix<double>(4, 2)));
        Assert.Contains("4x2", bad.Message);
    }

    [Fact]
    public void ScheduleFollowsThePaper()
    {
        var s = BatchRenormSchedule.Paper;
        Assert.Equal((1.0, 0.0), (s.RMax(0), s.DMax(0)));
        Assert.Equal((1.0, 0.0), (s.RMax(4_999), s.DMax(4_999)));
        Assert.Equal((1.0, 0.0), (s.RMax(5_000), s.DMax(5_000)));
        // Halfway through each ramp.
        Assert.Equal(2.0, s.RMax(22_500), 1e-12);
        Assert.Equal(2.5, s.DMax(15_000), 1e-12);
        Assert.Equal(5.0, s.DMax(25_000));
        Assert.Equal(3.0, s.RMax(40_000));
        Assert.Equal((3.0, 5.0), (s.RMax(1_000_000), s.DMax(1_000_000)));

        var short10 = s.Scaled(0.1);
        Assert.Equal((500.0, 4_000.0, 2_500.0), (short10.WarmupSteps, short10.RMaxReachedAt, short10.DMaxReachedAt));
        Assert.Equal(s.RMax(22_500), short10.RMax(2_250), 1e-12);
        Assert.Equal(s.DMax(15_000), short10.DMax(1_500), 1e-12);

        var fixedLimits = BatchRenormSchedule.Fixed(2, 1);
        Assert.Equal((2.0, 1.0), (fixedLimits.RMax(0), fixedLimits.DMax(0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchRenormSchedule.Fixed(0.5, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BatchRenormSchedule.Fixed(2, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.Scaled(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BatchRenormSchedule(100, 3, 50, 5, 200).Validated());
    }

    [Fact]
    public void LayerFollowsItsScheduleStepByStep()
    {
        var layer = new BatchRenorm<double>("brn", 2, BatchRenormSchedule.Paper.Scaled(0.001)) { Mode = Mode.Training };
        var rng = new Random(1);
        // Warm-up of 5 steps, r_max 3 at 40, d_max 5 at 25.
        for (var step = 0; step < 45; step++)
        {
            Assert.Equal(BatchRenormSchedule.Paper.RMax(step * 1000), layer.RMax, 1e-9);
            Assert.Equal(BatchRenormSchedule.Paper.DMax(step * 1000), layer.DMax, 1e-9);
            layer.Forward(Matrix(4, 2, rng));
            for (var j = 0; j < 2; j++)
            {
                Assert.InRange(layer.R[j], 1 / BatchRenormSchedule.Paper.RMax(step * 1000) - 1e-12, BatchRenormSchedule.Paper.RMax(step * 1000) + 1e-12);
                Assert.InRange(Math.Abs(layer.D[j]), 0, BatchRenormSchedule.Paper.DMax(step * 1000) + 1e-12);
            }
        }
    }
}
