using System.Numerics;
using BatchNormLab.Tensors;

namespace BatchNormLab.Normalization;

/// <summary>
/// Batch renormalisation as pure functions (Ioffe 2017), per feature over the batch. With the moving
/// averages μ and σ and the batch's μ_B and σ_B = √(σ²_B + ε) (σ²_B biased):
/// r = clip(σ_B/σ, 1/r_max, r_max), d = clip((μ_B − μ)/σ, −d_max, d_max),
/// x̂_i = (x_i − μ_B)/σ_B · r + d, y_i = γ x̂_i + β.
/// r and d are treated as constants by the backward pass (no gradient flows through them). With
/// r = 1, d = 0 this is batch norm; when r and d are not clipped, x̂_i = (x_i − μ)/σ, the inference
/// computation, so training and inference agree. State lives in <see cref="BatchRenorm{T}"/>.
/// </summary>
public static class BatchRenormMath
{
    /// <summary>
    /// The correction factors per feature: r = clip(σ_B/σ, 1/r_max, r_max) and d = clip((μ_B − μ)/σ, −d_max, d_max),
    /// from the batch mean μ_B, the batch σ_B (<paramref name="batchStd"/>, ε included) and the moving μ, σ.
    /// </summary>
    public static void Corrections<T>(
        ReadOnlySpan<T> batchMean, ReadOnlySpan<T> batchStd, ReadOnlySpan<T> movingMean, ReadOnlySpan<T> movingStd,
        T rMax, T dMax, Span<T> r, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var dd = batchMean.Length;
        Guard.Length(batchStd, dd, nameof(batchStd));
        Guard.Length(movingMean, dd, nameof(movingMean));
        Guard.Length(movingStd, dd, nameof(movingStd));
        Guard.Length(r, dd, nameof(r));
        Guard.Length(d, dd, nameof(d));
        if (!(rMax >= T.One)) throw new ArgumentOutOfRangeException(nameof(rMax), rMax, "r_max must be at least 1.");
        if (!(dMax >= T.Zero)) throw new ArgumentOutOfRangeException(nameof(dMax), dMax, "d_max must be non-negative.");
        var rMin = T.One / rMax;
        for (var j = 0; j < dd; j++)
        {
            r[j] = T.Clamp(batchStd[j] / movingStd[j], rMin, rMax);
            d[j] = T.Clamp((batchMean[j] - movingMean[j]) / movingStd[j], -dMax, dMax);
        }
    }

    /// <summary>
    /// Training forward: μ_B, σ²_B (biased), σ_B = √(σ²_B + ε), r and d from the moving μ, σ, then
    /// x̂_i = (x_i − μ_B)/σ_B · r + d and y_i = γ x̂_i + β. Writes y, x̂ (the renormalised value),
    /// μ_B, σ_B, r and d. The moving averages are read, not updated (the layer updates them after).
    /// </summary>
    public static void ForwardTraining<T>(
        Matrix<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, ReadOnlySpan<T> movingMean, ReadOnlySpan<T> movingStd,
        T rMax, T dMax, T eps, Matrix<T> y, Matrix<T> xHat, Span<T> batchMean, Span<T> batchStd, Span<T> r, Span<T> d)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = x.Rows, dd = x.Cols;
        Guard.Length(gamma, dd, nameof(gamma));
        Guard.Length(beta, dd, nameof(beta));
        Guard.Shape(y, m, dd, nameof(y));
        Guard.Shape(xHat, m, dd, nameof(xHat));
        // σ_B first holds σ²_B, then becomes √(σ²_B + ε) in place.
        BatchNormMath.BatchStatistics(x, batchMean, batchStd);
        for (var j = 0; j < dd; j++) batchStd[j] = T.Sqrt(batchStd[j] + eps);
        Corrections<T>(batchMean, batchStd, movingMean, movingStd, rMax, dMax, r, d);
        Normalize<T>(x, gamma, beta, batchMean, batchStd, r, d, y, xHat);
    }

    /// <summary>
    /// The renormalising map with given statistics and corrections: x̂_i = (x_i − μ_B)/σ_B · r + d,
    /// y_i = γ x̂_i + β. Here r and d are inputs, i.e. constants, exactly what the backward pass assumes.
    /// </summary>
    public static void Normalize<T>(
        Matrix<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, ReadOnlySpan<T> batchMean, ReadOnlySpan<T> batchStd,
        ReadOnlySpan<T> r, ReadOnlySpan<T> d, Matrix<T> y, Matrix<T> xHat)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = x.Rows, dd = x.Cols;
        Guard.Length(gamma, dd, nameof(gamma));
        Guard.Length(beta, dd, nameof(beta));
        Guard.Length(batchMean, dd, nameof(batchMean));
        Guard.Length(batchStd, dd, nameof(batchStd));
        Guard.Length(r, dd, nameof(r));
        Guard.Length(d, dd, nameof(d));
        Guard.Shape(y, m, dd, nameof(y));
        Guard.Shape(xHat, m, dd, nameof(xHat));
        for (var i = 0; i < m; i++)
        {
            var xr = x.Data.AsSpan(i * dd, dd);
            var hr = xHat.Data.AsSpan(i * dd, dd);
            var yr = y.Data.AsSpan(i * dd, dd);
            for (var j = 0; j < dd; j++)
            {
                var h = (xr[j] - batchMean[j]) / batchStd[j] * r[j] + d[j];
                hr[j] = h;
                yr[j] = gamma[j] * h + beta[j];
            }
        }
    }

    /// <summary>
    /// Inference forward: y = γ (x − μ)/σ + β with the moving averages μ and σ (ε was already inside
    /// σ, an average of σ_B = √(σ²_B + ε)); one affine map per feature, independent of the batch.
    /// </summary>
    public static void ForwardInference<T>(
        Matrix<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, ReadOnlySpan<T> movingMean, ReadOnlySpan<T> movingStd, Matrix<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = x.Rows, dd = x.Cols;
        Guard.Length(gamma, dd, nameof(gamma));
        Guard.Length(beta, dd, nameof(beta));
        Guard.Length(movingMean, dd, nameof(movingMean));
        Guard.Length(movingStd, dd, nameof(movingStd));
        Guard.Shape(y, m, dd, nameof(y));
        for (var i = 0; i < m; i++)
        {
            var xr = x.Data.AsSpan(i * dd, dd);
            var yr = y.Data.AsSpan(i * dd, dd);
            for (var j = 0; j < dd; j++) yr[j] = gamma[j] * (xr[j] - movingMean[j]) / movingStd[j] + beta[j];
        }
    }

    /// <summary>
    /// Backward with r and d held constant (the paper's equations):
    /// ∂ℓ/∂x̂_i = ∂ℓ/∂y_i · γ;
    /// ∂ℓ/∂σ_B = Σ_i ∂ℓ/∂x̂_i (x_i − μ_B) · (−r/σ_B²);
    /// ∂ℓ/∂μ_B = Σ_i ∂ℓ/∂x̂_i · (−r/σ_B);
    /// ∂ℓ/∂x_i = ∂ℓ/∂x̂_i · r/σ_B + ∂ℓ/∂σ_B · (x_i − μ_B)/(m σ_B) + ∂ℓ/∂μ_B/m;
    /// ∂ℓ/∂γ = Σ_i ∂ℓ/∂y_i x̂_i; ∂ℓ/∂β = Σ_i ∂ℓ/∂y_i.
    /// Collected, with z_i = (x_i − μ_B)/σ_B and g_i = ∂ℓ/∂y_i γ r:
    /// ∂ℓ/∂x_i = (1/σ_B)(g_i − mean_k g_k − z_i mean_k(g_k z_k)), batch norm's closed form with γ replaced by γ r.
    /// </summary>
    public static void Backward<T>(
        Matrix<T> dy, Matrix<T> xHat, ReadOnlySpan<T> gamma, ReadOnlySpan<T> batchStd, ReadOnlySpan<T> r, ReadOnlySpan<T> d,
        Matrix<T> dx, Span<T> dGamma, Span<T> dBeta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = xHat.Rows, dd = xHat.Cols;
        Guard.Shape(dy, m, dd, nameof(dy));
        Guard.Shape(dx, m, dd, nameof(dx));
        Guard.Length(gamma, dd, nameof(gamma));
        Guard.Length(batchStd, dd, nameof(batchStd));
        Guard.Length(r, dd, nameof(r));
        Guard.Length(d, dd, nameof(d));
        Guard.Length(dGamma, dd, nameof(dGamma));
        Guard.Length(dBeta, dd, nameof(dBeta));
        // ∂ℓ/∂β = Σ dy and ∂ℓ/∂γ = Σ dy x̂. With x̂ = z r + d, Σ dy z = (dγ − d Σ dy)/r: only x̂ is kept from the forward pass.
        BatchNormKernels.GradientSums<T>(dy.Data, xHat.Data, dd, dBeta, dGamma);
        var invM = T.One / T.CreateChecked(m);
        for (var j = 0; j < dd; j++)
        {
            var sumDyZ = (dGamma[j] - d[j] * dBeta[j]) / r[j];
            for (var i = 0; i < m; i++)
            {
                var z = (xHat[i, j] - d[j]) / r[j];
                // g = dy γ r; mean g = γ r Σdy/m; mean(g z) = γ r Σ(dy z)/m.
                dx[i, j] = gamma[j] * r[j] / batchStd[j] * (dy[i, j] - (dBeta[j] + z * sumDyZ) * invM);
            }
        }
    }
}
