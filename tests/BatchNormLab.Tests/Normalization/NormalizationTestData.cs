using BatchNormLab.Tensors;

namespace BatchNormLab.Tests.Normalization;

/// <summary>Seeded random inputs for the normalisation tests: never all-ones, never all-zeros.</summary>
internal static class NormalizationTestData
{
    /// <summary>N x D values, feature j drawn around mean[j] with spread scale[j].</summary>
    public static Matrix<double> Matrix(int n, int d, Random rng, double[]? mean = null, double[]? scale = null)
    {
        var m = new Matrix<double>(n, d);
        for (var i = 0; i < n; i++)
            for (var j = 0; j < d; j++)
                m[i, j] = (mean?[j] ?? 0) + (scale?[j] ?? 1) * (2 * rng.NextDouble() - 1);
        return m;
    }

    /// <summary>A vector of length d with values uniform in [lo, hi].</summary>
    public static double[] Vector(int d, Random rng, double lo, double hi)
    {
        var v = new double[d];
        for (var j = 0; j < d; j++) v[j] = lo + (hi - lo) * rng.NextDouble();
        return v;
    }

    /// <summary>Σ G ⊙ Y: the scalar whose gradient with respect to Y is the random upstream gradient G.</summary>
    public static double Dot(Matrix<double> g, Matrix<double> y)
    {
        var s = 0.0;
        for (var i = 0; i < y.Data.Length; i++) s += g.Data[i] * y.Data[i];
        return s;
    }
}
