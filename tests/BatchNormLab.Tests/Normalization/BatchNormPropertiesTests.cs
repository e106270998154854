using System.Numerics;
using BatchNormLab.Layers;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;
using Xunit.Abstractions;

namespace BatchNormLab.Tests.Normalization;

/// <summary>Identities BN must satisfy: the two backward forms agree, dx sums to zero, invariance to a x + b.</summary>
public class BatchNormPropertiesTests(ITestOutputHelper output)
{
    private static (Matrix<double> dx, double[] dGamma, double[] dBeta) Backward<T>(Matrix<T> x, Matrix<T> dy, T[] gamma, T[] beta, BatchNormBackward form)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var bn = new BatchNorm<T>("bn", x.Cols) { Mode = Mode.Training, BackwardForm = form };
        gamma.CopyTo(bn.Gamma.Value.Data, 0);
        beta.CopyTo(bn.Beta.Value.Data, 0);
        bn.Forward(x);
        var dx = bn.Backward(dy)!.Cast<double>();
        return (dx, bn.Gamma.Grad.Cast<double>().Data, bn.Beta.Grad.Cast<double>().Data);
    }

    private static (Matrix<double> x, Matrix<double> dy, double[] gamma, double[] beta) Case(int m, int d, int seed)
    {
        var rng = new Random(seed);
        var means = TestData.Uniform(d, -50, 50, rng);
        var stds = TestData.Uniform(d, 0.05, 5, rng);
        var x = TestData.Features(m, means, stds, rng);
        var bn = new BatchNorm<double>("bn", d);
        TestData.RandomAffine(bn, rng);
        return (x, TestData.Gaussian<double>(m, d, rng), bn.Gamma.Value.Data, bn.Beta.Value.Data);
    }

    // The scale of dx's terms before they cancel: |γ_j| / √(σ²_j + ε) · |dy_ij|. With m = 2, dx itself is almost 0
    // (x̂ = ±1 whatever x is, up to ε), so an error relative to max |dx| would measure only that cancellation.
    private static double DxScale(Matrix<double> x, Matrix<double> dy, double[] gamma)
    {
        var mean = new double[x.Cols];
        var variance = new double[x.Cols];
        BatchNormMath.BatchStatistics(x, mean, variance);
        var scale = 0.0;
        for (var i = 0; i < x.Rows; i++)
            for (var j = 0; j < x.Cols; j++)
                scale = Math.Max(scale, Math.Abs(gamma[j] * dy[i, j]) / Math.Sqrt(variance[j] + 1e-5));
        return scale;
    }

    private static double RelativeToMax(ReadOnlySpan<double> a, ReadOnlySpan<double> reference) =>
        TestData.MaxAbsDiff(a, reference) / TestData.MaxAbs(reference);

    [Theory]
    [InlineData(2, 3)]
    [InlineData(7, 5)]
    [InlineData(60, 100)]
    public void GraphAndClosedFormAgreeInDouble(int m, int d)
    {
        var (x, dy, gamma, beta) = Case(m, d, m * 31 + d);
        var g = Backward(x, dy, gamma, beta, BatchNormBackward.Graph);
        var c = Backward(x, dy, gamma, beta, BatchNormBackward.ClosedForm);
        var ex = TestData.MaxAbsDiff(c.dx.Data, g.dx.Data) / DxScale(x, dy, gamma);
        var eg = RelativeToMax(c.dGamma, g.dGamma);
        var eb = RelativeToMax(c.dBeta, g.dBeta);
        output.WriteLine($"double m={m} d={d}: dx {ex:E2} (of max |gamma dy| / sigma), dgamma {eg:E2}, dbeta {eb:E2} (of max |graph|)");
        Assert.True(ex <= 1e-13, $"dx differs by {ex:E2}");
        Assert.True(eg <= 1e-13, $"dgamma differs by {eg:E2}");
        Assert.True(eb <= 1e-13, $"dbeta differs by {eb:E2}");
    }

    [Theory]
    [InlineData(2, 3)]
    [InlineData(7, 5)]
    [InlineData(60, 100)]
    public void GraphAndClosedFormAgreeInFloat(int m, int d)
    {
        var (x, dy, gamma, beta) = Case(m, d, m * 31 + d);
        var gammaF = gamma.Select(v => (float)v).ToArray();
        var betaF = beta.Select(v => (float)v).ToArray();
        var g = Backward(x.Cast<float>(), dy.Cast<float>(), gammaF, betaF, BatchNormBackward.Graph);
        var c = Backward(x.Cast<float>(), dy.Cast<float>(), gammaF, betaF, BatchNormBackward.ClosedForm);
        var exact = Backward(x.Cast<float>().Cast<double>(), dy.Cast<float>().Cast<double>(), gammaF.Select(v => (double)v).ToArray(),
            betaF.Select(v => (double)v).ToArray(), BatchNormBackward.ClosedForm);
        var scale = DxScale(x, dy, gamma);
        var ex = TestData.MaxAbsDiff(c.dx.Data, g.dx.Data) / scale;
        var eg = RelativeToMax(c.dGamma, g.dGamma);
        var eb = RelativeToMax(c.dBeta, g.dBeta);
        var exGraph = TestData.MaxAbsDiff(g.dx.Data, exact.dx.Data) / scale;
        var exClosed = TestData.MaxAbsDiff(c.dx.Data, exact.dx.Data) / scale;
        output.WriteLine($"float m={m} d={d}: closed vs graph dx {ex:E2}, dgamma {eg:E2}, dbeta {eb:E2}; vs double: graph {exGraph:E2}, closed {exClosed:E2}");
        Assert.True(ex <= 1e-5, $"dx differs by {ex:E2}");
        Assert.True(eg <= 1e-5, $"dgamma differs by {eg:E2}");
        Assert.True(eb <= 1e-5, $"dbeta differs by {eb:E2}");
        Assert.True(exGraph <= 1e-5 && exClosed <= 1e-5, $"float vs double: graph {exGraph:E2}, closed {exClosed:E2}");
    }

    [Theory]
    [InlineData(BatchNormBackward.ClosedForm)]
    [InlineData(BatchNormBackward.Graph)]
    public void InputGradientSumsToZeroPerFeature(BatchNormBackward form)
    {
        // y depends on x only through x̂, which is unchanged by adding a constant to a feature: Σ_i dx_ij = 0.
        // x̂ is also unchanged by scaling (up to ε), so Σ_i dx_ij x̂_ij ≈ 0 as well.
        var (x, dy, gamma, beta) = Case(32, 6, 7);
        var (dx, _, _) = Backward(x, dy, gamma, beta, form);
        var worst = 0.0;
        for (var j = 0; j < x.Cols; j++)
        {
            double sum = 0, scale = 0;
            for (var i = 0; i < x.Rows; i++)
            {
                sum += dx[i, j];
                scale += Math.Abs(dx[i, j]);
            }
            Assert.True(scale > 1e-3, $"feature {j}: dx is trivially small ({scale}); the check would be vacuous");
            worst = Math.Max(worst, Math.Abs(sum) / scale);
        }
        output.WriteLine($"{form}: max |Σ_i dx_ij| / Σ_i |dx_ij| = {worst:E2}");
        Assert.True(worst <= 1e-13, $"Σ dx per feature is not 0: {worst:E2}");
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(3)]
    [InlineData(1000)]
    public void InvariantToPositiveAffineMapOfTheInput(double a)
    {
        // a(x − μ)/√(a²σ² + ε) = (x − μ)/√(σ² + ε/a²): exactly BN with ε/a² on x; ≈ BN(x) when σ² ≫ ε.
        var (x, _, gamma, beta) = Case(16, 5, 11);
        var rng = new Random(3);
        var shifts = TestData.Uniform(x.Cols, -100, 100, rng);
        var scales = TestData.Uniform(x.Cols, 0.5, 2, rng).Select(s => s * a).ToArray();
        var ax = x.Clone();
        for (var i = 0; i < x.Rows; i++)
            for (var j = 0; j < x.Cols; j++) ax[i, j] = scales[j] * x[i, j] + shifts[j];

        Matrix<double> Run(Matrix<double> input, double eps)
        {
            var bn = new BatchNorm<double>("bn", input.Cols, eps) { Mode = Mode.Training };
            gamma.CopyTo(bn.Gamma.Value.Data, 0);
            beta.CopyTo(bn.Beta.Value.Data, 0);
            return bn.Forward(input).Clone();
        }
        var yAx = Run(ax, 1e-5);
        var yX = Run(x, 1e-5);
        // Exact identity, per feature ε_j/a_j²: check column by column.
        var worstExact = 0.0;
        for (var j = 0; j < x.Cols; j++)
        {
            var yXj = Run(x, 1e-5 / (scales[j] * scales[j]));
            for (var i = 0; i < x.Rows; i++) worstExact = Math.Max(worstExact, Math.Abs(yAx[i, j] - yXj[i, j]));
        }
        var worstApprox = TestData.MaxAbsDiff(yAx.Data, yX.Data);
        output.WriteLine($"a={a}: |BN_eps(ax+b) - BN_(eps/a^2)(x)| <= {worstExact:E2}; |BN(ax+b) - BN(x)| <= {worstApprox:E2}");
        Assert.True(worstExact <= 1e-12, $"BN(ax+b) != BN(x) with eps/a^2: {worstExact:E2}");
        Assert.True(worstApprox <= 1e-4, $"BN(ax+b) far from BN(x): {worstApprox:E2}");
    }
}
