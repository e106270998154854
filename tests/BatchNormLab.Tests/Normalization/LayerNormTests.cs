using BatchNormLab.Checks;
using BatchNormLab.Layers;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;
using static BatchNormLab.Tests.Normalization.NormalizationTestData;

namespace BatchNormLab.Tests.Normalization;

public class LayerNormTests
{
    private const double Tolerance = 1e-7;

    // The loss is linear in γ and β, so a large step has no truncation error and keeps rounding small.
    private const double LinearStep = 1e-2;

    private static Matrix<double> Forward(Matrix<double> x, double[] gamma, double[] beta, double eps = 1e-5)
    {
        var y = new Matrix<double>(x.Rows, x.Cols);
        LayerNormMath.Forward<double>(x, gamma, beta, eps, y, new Matrix<double>(x.Rows, x.Cols), new double[x.Rows], new double[x.Rows]);
        return y;
    }

    [Theory]
    [InlineData(2, 3, 1)]
    [InlineData(5, 8, 2)]
    [InlineData(12, 17, 3)]
    public void BackwardMatchesCentralDifferences(int m, int n, int seed)
    {
        var rng = new Random(seed);
        var x = Matrix(m, n, rng, scale: Vector(n, rng, 0.5, 3));
        // One example with a large mean and a small spread.
        for (var j = 0; j < n; j++) x[0, j] = 40 + 0.05 * x[0, j];
        var gamma = Vector(n, rng, 0.5, 2.5);
        var beta = Vector(n, rng, -1, 1);
        var g = Matrix(m, n, rng);
        var layer = new LayerNorm<double>("ln", n) { Mode = Mode.Training };
        gamma.CopyTo(layer.Gamma.Value.Data, 0);
        beta.CopyTo(layer.Beta.Value.Data, 0);
        layer.Forward(x);
        var dx = layer.Backward(g)!.Clone();
        double Loss() => Dot(g, Forward(x, gamma, beta));
        var cx = GradientCheck.Check(Loss, x.Data, dx.Data);
        var cg = GradientCheck.Check(Loss, gamma, layer.Gamma.Grad.Data, h: LinearStep);
        var cb = GradientCheck.Check(Loss, beta, layer.Beta.Grad.Data, h: LinearStep);
        Assert.True(cx.MaxRelativeError <= Tolerance, "dx: " + cx);
        Assert.True(cg.MaxRelativeError <= Tolerance, "dgamma: " + cg);
        Assert.True(cb.MaxRelativeError <= Tolerance, "dbeta: " + cb);
    }

    [Fact]
    public void NormalisesEachExampleOverItsFeatures()
    {
        // Hand-computed: [1, 2, 3, 4] has mean 2.5 and biased variance 1.25.
        var x = Matrix<double>.FromRows([1, 2, 3, 4], [10, 10, 10, 14]);
        var y = Forward(x, [1, 1, 1, 1], [0, 0, 0, 0], eps: 0);
        var s = Math.Sqrt(1.25);
        Assert.Equal([-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s], y.Row(0).ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);
        // [10, 10, 10, 14]: mean 11, variance 3.
        var t = Math.Sqrt(3);
        Assert.Equal([-1 / t, -1 / t, -1 / t, 3 / t], y.Row(1).ToArray(), (a, b) => Math.Abs(a - b) < 1e-12);

        var rng = new Random(4);
        var z = Forward(Matrix(6, 9, rng, scale: Vector(9, rng, 0.5, 3)), Vector(9, rng, 1, 1), new double[9]);
        for (var i = 0; i < z.Rows; i++)
        {
            var row = z.Row(i).ToArray();
            Assert.Equal(0, row.Average(), 1e-12);
            Assert.Equal(1, row.Select(v => v * v).Average(), 1e-4);
        }
    }

    [Fact]
    public void InvariantToPerExampleShiftAndPositiveScale()
    {
        const int m = 7, n = 10;
        var rng = new Random(9);
        var x = Matrix(m, n, rng, scale: Vector(n, rng, 0.5, 3));
        var gamma = Vector(n, rng, 0.5, 2.5);
        var beta = Vector(n, rng, -1, 1);
        var moved = x.Clone();
        for (var i = 0; i < m; i++)
        {
            var a = 0.5 + 5 * rng.NextDouble();
            var b = 20 * rng.NextDouble() - 10;
            for (var j = 0; j < n; j++) moved[i, j] = a * x[i, j] + b;
        }
        var y = Forward(x, gamma, beta, eps: 0);
        var yMoved = Forward(moved, gamma, beta, eps: 0);
        for (var i = 0; i < y.Data.Length; i++) Assert.Equal(y.Data[i], yMoved.Data[i], 1e-10);
    }

    [Fact]
    public void OutputOfAnExampleIgnoresItsBatchAndTheMode()
    {
        const int n = 6;
        var rng = new Random(12);
        var layer = new LayerNorm<double>("ln", n);
        Vector(n, rng, 0.5, 2).CopyTo(layer.Gamma.Value.Data, 0);
        Vector(n, rng, -1, 1).CopyTo(layer.Beta.Value.Data, 0);
        var batch = Matrix(8, n, rng, mean: Vector(n, rng, -3, 3));
        layer.Mode = Mode.Training;
        var y = layer.Forward(batch).Clone();
        var other = Matrix(8, n, rng, mean: Vector(n, rng, 10, 20));
        for (var i = 0; i < batch.Rows; i++)
        {
            // The same example alone (batch size 1, training mode is fine), in inference mode, and among other examples.
            var alone = layer.Forward(batch.SliceRows(i, 1)).Clone();
            layer.Mode = Mode.Inference;
            var inference = layer.Forward(batch.SliceRows(i, 1)).Clone();
            layer.Mode = Mode.Training;
            var mixed = other.Clone();
            batch.Row(i).CopyTo(mixed.Row(3));
            var among = layer.Forward(mixed);
            for (var j = 0; j < n; j++)
            {
                Assert.Equal(y[i, j], alone[0, j], 1e-12);
                Assert.Equal(y[i, j], inference[0, j], 1e-12);
                Assert.Equal(y[i, j], among[3, j], 1e-12);
            }
        }
    }

    [Fact]
    public void BadInputsAreClearErrors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new LayerNorm<double>("ln", 1));
        var layer = new LayerNorm<double>("ln3", 3);
        var shape = Assert.Throws<ArgumentException>(() => layer.Forward(new Matrix<double>(2, 4)));
        Assert.Contains("2x4", shape.Message);
        var nan = new Matrix<double>(2, 3);
        nan[1, 2] = double.NaN;
        var finite = Assert.Throws<ArgumentException>(() => layer.Forward(nan));
        Assert.Contains("row 1, column 2", finite.Message);
    }
}
