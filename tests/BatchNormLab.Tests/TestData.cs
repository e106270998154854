using System.Numerics;
using BatchNormLab.Models;
using BatchNormLab.Tensors;

namespace BatchNormLab.Tests;

/// <summary>Seeded random inputs for the tests. Nothing here is all-ones or all-zeros on purpose.</summary>
internal static class TestData
{
    /// <summary>An N x D matrix with entries N(0, 1) from <paramref name="rng"/>.</summary>
    public static Matrix<T> Gaussian<T>(int rows, int cols, Random rng, double std = 1) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var m = new Matrix<T>(rows, cols);
        for (var i = 0; i < m.Data.Length; i++) m.Data[i] = T.CreateChecked(std * WeightInit.Gaussian(rng));
        return m;
    }

    /// <summary>An N x D matrix whose column j is means[j] + stds[j] · N(0, 1).</summary>
    public static Matrix<double> Features(int rows, double[] means, double[] stds, Random rng)
    {
        var m = new Matrix<double>(rows, means.Length);
        for (var i = 0; i < rows; i++)
            for (var j = 0; j < means.Length; j++)
                m[i, j] = means[j] + stds[j] * WeightInit.Gaussian(rng);
        return m;
    }

    /// <summary>Values uniform in [lo, hi).</summary>
    public static double[] Uniform(int n, double lo, double hi, Random rng)
    {
        var v = new double[n];
        for (var i = 0; i < n; i++) v[i] = lo + (hi - lo) * rng.NextDouble();
        return v;
    }

    /// <summary>Sets γ to values in [0.5, 2) with alternating sign and β to N(0, 1): non-trivial on purpose.</summary>
    public static void RandomAffine<T>(BatchNormLab.Normalization.BatchNorm<T> bn, Random rng) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var j = 0; j < bn.Features; j++)
        {
            var g = 0.5 + 1.5 * rng.NextDouble();
            bn.Gamma.Value.Data[j] = T.CreateChecked(j % 3 == 2 ? -g : g);
            bn.Beta.Value.Data[j] = T.CreateChecked(WeightInit.Gaussian(rng));
        }
    }

    /// <summary>Σ a_ij b_ij in double: the scalar loss ℓ = Σ dy ⊙ y whose gradient w.r.t. y is dy.</summary>
    public static double Dot<T>(Matrix<T> a, Matrix<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var s = 0.0;
        for (var i = 0; i < a.Data.Length; i++) s += double.CreateChecked(a.Data[i]) * double.CreateChecked(b.Data[i]);
        return s;
    }

    /// <summary>max |a − b| over all elements.</summary>
    public static double MaxAbsDiff(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        Assert.Equal(a.Length, b.Length);
        var worst = 0.0;
        for (var i = 0; i < a.Length; i++) worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
        return worst;
    }

    /// <summary>max |a| over all elements.</summary>
    public static double MaxAbs(ReadOnlySpan<double> a)
    {
        var worst = 0.0;
        foreach (var v in a) worst = Math.Max(worst, Math.Abs(v));
        return worst;
    }

    /// <summary>Random class labels 0..classes−1.</summary>
    public static int[] Labels(int n, int classes, Random rng)
    {
        var y = new int[n];
        for (var i = 0; i < n; i++) y[i] = rng.Next(classes);
        return y;
    }
}
