using BatchNormLab.Tensors;

namespace BatchNormLab.Tests.Tensors;

public class GemmTests
{
    private static Matrix<T> Random<T>(int rows, int cols, Random rng) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var m = new Matrix<T>(rows, cols);
        for (var i = 0; i < m.Data.Length; i++) m.Data[i] = T.CreateChecked(rng.NextDouble() * 2 - 1);
        return m;
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 7)]
    [InlineData(60, 784, 100)]
    [InlineData(17, 33, 65)]
    public void FastProductsMatchReference(int m, int k, int n)
    {
        var rng = new Random(42);
        var a = Random<double>(m, k, rng);
        var b = Random<double>(k, n, rng);
        var bt = Random<double>(n, k, rng);
        var at = Random<double>(k, m, rng);
        void Compare(Action<Matrix<double>> fast, Action<Matrix<double>> reference)
        {
            var c1 = Random<double>(m, n, new Random(1));
            var c2 = c1.Clone();
            fast(c1);
            reference(c2);
            for (var i = 0; i < c1.Data.Length; i++) Assert.Equal(c2.Data[i], c1.Data[i], 1e-10);
        }
        Compare(c => Gemm.Multiply(a, b, c), c => GemmReference.Multiply(a, b, c));
        Compare(c => Gemm.Multiply(a, b, c, accumulate: true), c => GemmReference.Multiply(a, b, c, accumulate: true));
        Compare(c => Gemm.MultiplyTransposeB(a, bt, c), c => GemmReference.MultiplyTransposeB(a, bt, c));
        Compare(c => Gemm.MultiplyTransposeA(at, b, c), c => GemmReference.MultiplyTransposeA(at, b, c));
    }

    [Fact]
    public void ShapeMismatchNamesTheShapes()
    {
        var ex = Assert.Throws<ArgumentException>(() => Gemm.Multiply(new Matrix<float>(2, 3), new Matrix<float>(4, 5), new Matrix<float>(2, 5)));
        Assert.Contains("3 and 4", ex.Message);
    }
}
