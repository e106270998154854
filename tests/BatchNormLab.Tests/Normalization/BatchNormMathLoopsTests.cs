using BatchNormLab.Normalization;
using BatchNormLab.Tensors;

namespace BatchNormLab.Tests.Normalization;

/// <summary>
/// The training forward and closed-form backward run in SIMD lanes (features) row by row; each
/// value must be exactly what the formulas give written as plain loops, one feature at a time, summing
/// over the rows in order: same operations, same order, so the same bits (in float, where rounding shows).
/// </summary>
public class BatchNormMathLoopsTests
{
    [Theory]
    [InlineData(60, 100)] // 12 vectors of 8 features and a tail of 4
    [InlineData(2, 3)]    // tail only
    [InlineData(7, 16)]   // no tail
    [InlineData(256, 17)]
    public void BlockedLoopsEqualPlainLoopsBitForBit(int m, int d)
    {
        var rng = new Random(m * 100 + d);
        float R(double s) => (float)((rng.NextDouble() * 2 - 1) * s);
        var x = new Matrix<float>(m, d);
        var dy = new Matrix<float>(m, d);
        for (var k = 0; k < x.Data.Length; k++)
        {
            x.Data[k] = 3 + R(2);
            dy.Data[k] = R(1);
        }
        var gamma = Enumerable.Range(0, d).Select(_ => 1 + R(0.5)).ToArray();
        var beta = Enumerable.Range(0, d).Select(_ => R(1)).ToArray();
        const float eps = 1e-5f;

        var y = new Matrix<float>(m, d);
        var xHat = new Matrix<float>(m, d);
        float[] mean = new float[d], variance = new float[d], invStd = new float[d];
        BatchNormMath.ForwardTraining(x, gamma, beta, eps, y, xHat, mean, variance, invStd);
        var dx = new Matrix<float>(m, d);
        float[] dGamma = new float[d], dBeta = new float[d];
        BatchNormMath.BackwardClosedForm(dy, xHat, gamma, invStd, dx, dGamma, dBeta);

        var invM = 1f / m;
        for (var j = 0; j < d; j++)
        {
            var sum = 0f;
            for (var i = 0; i < m; i++) sum += x[i, j];
            var mu = sum * invM;
            var squares = 0f;
            for (var i = 0; i < m; i++) squares += (x[i, j] - mu) * (x[i, j] - mu);
            var v = squares * invM;
            var s = 1f / MathF.Sqrt(v + eps);
            Assert.Equal(mu, mean[j]);
            Assert.Equal(v, variance[j]);
            Assert.Equal(s, invStd[j]);
            float sumDy = 0, sumDyXHat = 0;
            for (var i = 0; i < m; i++)
            {
                var h = (x[i, j] - mu) * s;
                Assert.Equal(h, xHat[i, j]);
                Assert.Equal(gamma[j] * h + beta[j], y[i, j]);
                sumDy += dy[i, j];
                sumDyXHat += dy[i, j] * h;
            }
            Assert.Equal(sumDy, dBeta[j]);
            Assert.Equal(sumDyXHat, dGamma[j]);
            for (var i = 0; i < m; i++)
            {
                var correction = sumDyXHat * invM * xHat[i, j] + sumDy * invM;
                Assert.Equal((dy[i, j] - correction) * (gamma[j] * s), dx[i, j]);
            }
        }
    }
}
