using System.Numerics;
using BatchNormLab.Tensors;

namespace BatchNormLab.Normalization;

/// <summary>
/// Group normalisation as pure functions (Wu &amp; He 2018): the D features of each example are split into
/// G contiguous groups of D/G; each group is normalised with its own μ_ig and biased σ²_ig, then
/// y_ij = γ_j x̂_ij + β_j per feature. G = 1 is layer norm; G = D normalises every feature on its own (instance
/// norm, degenerate for one value per feature). No batch statistics. Row-major, an N x D matrix cut into groups is
/// an (N·G) x (D/G) matrix, so each group is one row of layer norm: the statistics and the input gradient reuse
/// <see cref="LayerNormMath"/> with γ = 1, β = 0, and the affine map is applied here.
/// </summary>
public static class GroupNormMath
{
    /// <summary>Forward: writes y, x̂, and per example and group μ and 1/√(σ² + ε) (length N·G, example-major).</summary>
    public static void Forward<T>(
        Matrix<T> x, int groups, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, T eps,
        Matrix<T> y, Matrix<T> xHat, Span<T> mean, Span<T> invStd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Rows, d = x.Cols;
        CheckGroups(d, groups);
        Guard.Length(gamma, d, nameof(gamma), "features");
        Guard.Length(beta, d, nameof(beta), "features");
        Guard.Shape(y, n, d, nameof(y));
        Guard.Shape(xHat, n, d, nameof(xHat));
        var size = d / groups;
        var ones = Filled(size, T.One);
        LayerNormMath.Forward(new Matrix<T>(n * groups, size, x.Data), ones, new T[size], eps,
            new Matrix<T>(n * groups, size, y.Data), new Matrix<T>(n * groups, size, xHat.Data), mean, invStd);
        for (var i = 0; i < n; i++)
        {
            var hr = xHat.Data.AsSpan(i * d, d);
            var yr = y.Data.AsSpan(i * d, d);
            for (var j = 0; j < d; j++) yr[j] = gamma[j] * hr[j] + beta[j];
        }
    }

    /// <summary>
    /// Backward: ∂ℓ/∂β_j = Σ_i ∂ℓ/∂y_ij, ∂ℓ/∂γ_j = Σ_i ∂ℓ/∂y_ij x̂_ij; with g_ij = γ_j ∂ℓ/∂y_ij, within each group
    /// ∂ℓ/∂x_ij = (1/√(σ² + ε)) (g_ij − mean_group(g) − x̂_ij mean_group(g x̂)), layer norm's closed form per group.
    /// </summary>
    public static void Backward<T>(
        Matrix<T> dy, Matrix<T> xHat, int groups, ReadOnlySpan<T> gamma, ReadOnlySpan<T> invStd,
        Matrix<T> dx, Span<T> dGamma, Span<T> dBeta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = xHat.Rows, d = xHat.Cols;
        CheckGroups(d, groups);
        Guard.Shape(dy, n, d, nameof(dy));
        Guard.Shape(dx, n, d, nameof(dx));
        Guard.Length(gamma, d, nameof(gamma), "features");
        Guard.Length(dGamma, d, nameof(dGamma), "features");
        Guard.Length(dBeta, d, nameof(dBeta), "features");
        dGamma.Clear();
        dBeta.Clear();
        var g = new Matrix<T>(n, d);
        for (var i = 0; i < n; i++)
        {
            var dyr = dy.Data.AsSpan(i * d, d);
            var hr = xHat.Data.AsSpan(i * d, d);
            var gr = g.Data.AsSpan(i * d, d);
            for (var j = 0; j < d; j++)
            {
                dBeta[j] += dyr[j];
                dGamma[j] += dyr[j] * hr[j];
                gr[j] = gamma[j] * dyr[j];
            }
        }
        var size = d / groups;
        LayerNormMath.Backward(new Matrix<T>(n * groups, size, g.Data), new Matrix<T>(n * groups, size, xHat.Data), Filled(size, T.One), invStd,
            new Matrix<T>(n * groups, size, dx.Data), new T[size], new T[size]);
    }

    /// <summary>Throws unless <paramref name="groups"/> divides <paramref name="features"/> into groups of at least 2.</summary>
    public static void CheckGroups(int features, int groups)
    {
        if (groups <= 0 || features % groups != 0)
            throw new ArgumentOutOfRangeException(nameof(groups), groups, $"Group norm needs a number of groups that divides the {features} features; {groups} does not.");
        if (features / groups < 2)
            throw new ArgumentOutOfRangeException(nameof(groups), groups, $"Group norm needs at least 2 features per group (with one, every normalised value is 0); {features} features in {groups} groups give {features / groups}.");
    }

    private static T[] Filled<T>(int n, T value)
    {
        var a = new T[n];
        Array.Fill(a, value);
        return a;
    }
}
