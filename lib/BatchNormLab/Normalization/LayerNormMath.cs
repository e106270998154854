using System.Numerics;
using BatchNormLab.Tensors;

namespace BatchNormLab.Normalization;

/// <summary>
/// Layer normalisation as pure functions (Ba, Kiros &amp; Hinton 2016): per example over its D features,
/// μ_i = (1/D) Σ_j x_ij, σ²_i = (1/D) Σ_j (x_ij − μ_i)² (biased), x̂_ij = (x_ij − μ_i)/√(σ²_i + ε),
/// y_ij = γ_j x̂_ij + β_j with γ, β per feature. No batch statistics: the same computation in training
/// and inference, any batch size (1 included). State lives in <see cref="LayerNorm{T}"/>.
/// </summary>
public static class LayerNormMath
{
    /// <summary>
    /// Forward: writes y, x̂, and per example μ_i and 1/√(σ²_i + ε) (both of length N, kept for the backward pass).
    /// Two passes per row (mean first), so rows with a large mean and small spread stay accurate.
    /// </summary>
    public static void Forward<T>(
        Matrix<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, T eps,
        Matrix<T> y, Matrix<T> xHat, Span<T> mean, Span<T> invStd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Rows, d = x.Cols;
        Guard.Length(gamma, d, nameof(gamma), "features");
        Guard.Length(beta, d, nameof(beta), "features");
        Guard.Length(mean, n, nameof(mean), "examples");
        Guard.Length(invStd, n, nameof(invStd), "examples");
        Guard.Shape(y, n, d, nameof(y));
        Guard.Shape(xHat, n, d, nameof(xHat));
        var invD = T.One / T.CreateChecked(d);
        for (var i = 0; i < n; i++)
        {
            var xr = x.Data.AsSpan(i * d, d);
            var mu = T.Zero;
            for (var j = 0; j < d; j++) mu += xr[j];
            mu *= invD;
            var variance = T.Zero;
            for (var j = 0; j < d; j++)
            {
                var c = xr[j] - mu;
                variance += c * c;
            }
            var s = T.One / T.Sqrt(variance * invD + eps);
            mean[i] = mu;
            invStd[i] = s;
            var hr = xHat.Data.AsSpan(i * d, d);
            var yr = y.Data.AsSpan(i * d, d);
            for (var j = 0; j < d; j++)
            {
                var h = (xr[j] - mu) * s;
                hr[j] = h;
                yr[j] = gamma[j] * h + beta[j];
            }
        }
    }

    /// <summary>
    /// Backward, batch norm's closed form transposed to rows: with g_ij = ∂ℓ/∂y_ij γ_j,
    /// ∂ℓ/∂x_ij = (1/√(σ²_i + ε)) (g_ij − (1/D) Σ_k g_ik − x̂_ij (1/D) Σ_k g_ik x̂_ik);
    /// ∂ℓ/∂γ_j = Σ_i ∂ℓ/∂y_ij x̂_ij; ∂ℓ/∂β_j = Σ_i ∂ℓ/∂y_ij.
    /// </summary>
    public static void Backward<T>(
        Matrix<T> dy, Matrix<T> xHat, ReadOnlySpan<T> gamma, ReadOnlySpan<T> invStd,
        Matrix<T> dx, Span<T> dGamma, Span<T> dBeta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = xHat.Rows, d = xHat.Cols;
        Guard.Shape(dy, n, d, nameof(dy));
        Guard.Shape(dx, n, d, nameof(dx));
        Guard.Length(gamma, d, nameof(gamma), "features");
        Guard.Length(invStd, n, nameof(invStd), "examples");
        Guard.Length(dGamma, d, nameof(dGamma), "features");
        Guard.Length(dBeta, d, nameof(dBeta), "features");
        dGamma.Clear();
        dBeta.Clear();
        var invD = T.One / T.CreateChecked(d);
        for (var i = 0; i < n; i++)
        {
            var gr = dy.Data.AsSpan(i * d, d);
            var hr = xHat.Data.AsSpan(i * d, d);
            var dr = dx.Data.AsSpan(i * d, d);
            T sumG = T.Zero, sumGH = T.Zero;
            for (var j = 0; j < d; j++)
            {
                dBeta[j] += gr[j];
                dGamma[j] += gr[j] * hr[j];
                var g = gr[j] * gamma[j];
                sumG += g;
                sumGH += g * hr[j];
            }
            var meanG = sumG * invD;
            var meanGH = sumGH * invD;
            for (var j = 0; j < d; j++)
                dr[j] = invStd[i] * (gr[j] * gamma[j] - meanG - hr[j] * meanGH);
        }
    }
}
