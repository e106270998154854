using BatchNormLab.Checks;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;

namespace BatchNormLab.Tests.Normalization;

public class BatchNormStepsTests
{
    private static Matrix<double> Random(int rows, int cols, Random rng, double scale, double shift)
    {
        var m = new Matrix<double>(rows, cols);
        for (var i = 0; i < m.Data.Length; i++) m.Data[i] = shift + scale * (2 * rng.NextDouble() - 1);
        return m;
    }

    [Theory]
    [InlineData(2, 3)]
    [InlineData(5, 4)]
    [InlineData(16, 2)]
    public void Node_by_node_trace_matches_the_layer_math_forward_and_backward(int n, int d)
    {
        var rng = new Random(7 + n);
        var x = Random(n, d, rng, 3, 5);
        var gamma = Enumerable.Range(0, d).Select(_ => 0.5 + rng.NextDouble()).ToArray();
        var beta = Enumerable.Range(0, d).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var dy = Random(n, d, rng, 1, 0);
        const double eps = 1e-5;

        var f = BatchNormSteps.Forward(x, gamma, beta, eps);
        var b = BatchNormSteps.Backward(f, dy);

        var y = new Matrix<double>(n, d);
        var xHat = new Matrix<double>(n, d);
        double[] mean = new double[d], variance = new double[d], invStd = new double[d];
        BatchNormMath.ForwardTraining(x, gamma, beta, eps, y, xHat, mean, variance, invStd);
        var dx = new Matrix<double>(n, d);
        double[] dGamma = new double[d], dBeta = new double[d];
        BatchNormMath.BackwardClosedForm(dy, xHat, gamma, invStd, dx, dGamma, dBeta);

        for (var j = 0; j < d; j++)
        {
            Assert.Equal(mean[j], f.Mu[0, j], 1e-12);
            Assert.Equal(variance[j], f.Var[0, j], 1e-12);
            Assert.Equal(invStd[j], f.IVar[0, j], 1e-12);
            Assert.Equal(dGamma[j], b.DGamma[0, j], 1e-10);
            Assert.Equal(dBeta[j], b.DBeta[0, j], 1e-10);
        }
        for (var i = 0; i < n * d; i++)
        {
            Assert.Equal(y.Data[i], f.Out.Data[i], 1e-12);
            Assert.Equal(dx.Data[i], b.DX.Data[i], 1e-10);
            Assert.Equal(b.DX1.Data[i] + b.DX2.Data[i], b.DX.Data[i], 1e-12);
        }
    }

    [Fact]
    public void Node_by_node_gradient_passes_a_central_difference_check()
    {
        var rng = new Random(11);
        const int n = 6, d = 3;
        var x = Random(n, d, rng, 2, 10);
        double[] gamma = [1.7, 0.4, -1.1], beta = [0.3, -2, 0.9];
        var dy = Random(n, d, rng, 1, 0);
        double Loss()
        {
            var y = BatchNormSteps.Forward(x, gamma, beta).Out;
            return y.Data.Select((v, i) => v * dy.Data[i]).Sum();
        }
        var trace = BatchNormSteps.Backward(BatchNormSteps.Forward(x, gamma, beta), dy);
        Assert.True(GradientCheck.Check(Loss, x.Data, trace.DX.Data).MaxRelativeError < 1e-7);
        Assert.True(GradientCheck.Check(Loss, gamma, trace.DGamma.Data).MaxRelativeError < 1e-7);
        Assert.True(GradientCheck.Check(Loss, beta, trace.DBeta.Data).MaxRelativeError < 1e-7);
    }

    [Fact]
    public void Bad_input_is_refused_with_the_shapes_named()
    {
        var x = Matrix<double>.FromRows([1.0, 2], [3.0, 4]);
        var e = Assert.Throws<ArgumentException>(() => BatchNormSteps.Forward(x, [1.0], [0.0, 0]));
        Assert.Contains("2 features", e.Message);
        Assert.Throws<ArgumentException>(() => BatchNormSteps.Forward(Matrix<double>.FromRows([1.0, 2]), [1.0, 1], [0.0, 0]));
    }
}
