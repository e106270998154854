using System.Numerics;
using BatchNormLab.Convolution;
using BatchNormLab.Models;
using BatchNormLab.Tensors;

namespace BatchNormLab.Tests.Convolution;

/// <summary>Seeded image batches for the convolution tests (N x C·H·W, NCHW per row); never constant.</summary>
internal static class ConvTestData
{
    /// <summary>N images whose channel c is means[c] + stds[c]·N(0, 1) at every location (defaults: 0 and 1).</summary>
    public static Matrix<T> Images<T>(int n, ImageShape shape, Random rng, double[]? means = null, double[]? stds = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var x = new Matrix<T>(n, shape.Size);
        for (var i = 0; i < n; i++)
            for (var c = 0; c < shape.Channels; c++)
                for (var p = 0; p < shape.Locations; p++)
                    x[i, c * shape.Locations + p] = T.CreateChecked((means?[c] ?? 0) + (stds?[c] ?? 1) * WeightInit.Gaussian(rng));
        return x;
    }

    /// <summary>
    /// N images of distinct values at least 0.01 apart, in random order: no ties in any pooling window, and a
    /// central-difference step of 1e-5 never changes which input wins.
    /// </summary>
    public static Matrix<double> DistinctImages(int n, ImageShape shape, Random rng)
    {
        var values = Enumerable.Range(0, n * shape.Size).Select(i => (i - n * shape.Size / 2) * 0.0137).ToArray();
        rng.Shuffle(values);
        return new Matrix<double>(n, shape.Size, values);
    }

    /// <summary>A matrix rounded to float and back, so float and double runs start from identical values.</summary>
    public static Matrix<double> RoundedToFloat(Matrix<double> m) => m.Cast<float>().Cast<double>();

    /// <summary>max |a − b| / max |b| over all elements (element-wise relative error is meaningless near 0).</summary>
    public static double ScaledError<T>(Matrix<T> actual, Matrix<double> expected) where T : unmanaged, IFloatingPointIeee754<T>
        => ScaledError(actual.Data.Select(double.CreateChecked).ToArray(), expected.Data);

    /// <summary>max |a − b| / max |b|; fails if the reference is all zeros (the comparison would be vacuous).</summary>
    public static double ScaledError(double[] actual, double[] expected)
    {
        var scale = TestData.MaxAbs(expected);
        Assert.True(scale > 0, "reference is all zeros; the comparison would be vacuous");
        return TestData.MaxAbsDiff(actual, expected) / scale;
    }
}
