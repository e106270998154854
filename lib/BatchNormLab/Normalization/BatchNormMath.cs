using System.Numerics;
using BatchNormLab.Tensors;

namespace BatchNormLab.Normalization;

/// <summary>
/// Batch normalisation as pure functions (Ioffe &amp; Szegedy 2015), per feature over the batch:
/// the semantics of PyTorch's <c>BatchNorm1d</c>. Inputs are N x D (N examples, D features);
/// per-feature vectors have length D. No state lives here: see <see cref="BatchNorm{T}"/> for the layer.
/// </summary>
public static class BatchNormMath
{
    /// <summary>
    /// Batch statistics: μ_B = (1/m) Σ x_i and the biased σ²_B = (1/m) Σ (x_i − μ_B)², with m = N.
    /// Two passes (mean first), so features with a large mean and a small spread stay accurate.
    /// </summary>
    public static void BatchStatistics<T>(Matrix<T> x, Span<T> mean, Span<T> variance)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = x.Rows, d = x.Cols;
        Guard.Length(mean, d, nameof(mean));
        Guard.Length(variance, d, nameof(variance));
        // Each sum runs down the rows in order, a block of features at a time.
        VectorMath.SumRows<T>(x.Data, d, mean);
        var invM = T.One / T.CreateChecked(m);
        for (var j = 0; j < d; j++) mean[j] *= invM;
        BatchNormKernels.SquaredDifferenceSums<T>(x.Data, d, mean, variance);
        for (var j = 0; j < d; j++) variance[j] *= invM;
    }

    /// <summary>
    /// Training forward, the paper's Algorithm 1: μ_B, σ²_B (biased), x̂_i = (x_i − μ_B)/√(σ²_B + ε),
    /// y_i = γ x̂_i + β. Writes y, x̂, μ_B, σ²_B and 1/√(σ²_B + ε) (kept for the backward pass).
    /// </summary>
    public static void ForwardTraining<T>(
        Matrix<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, T eps,
        Matrix<T> y, Matrix<T> xHat, Span<T> mean, Span<T> variance, Span<T> invStd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = x.Rows, d = x.Cols;
        Guard.Length(gamma, d, nameof(gamma));
        Guard.Length(beta, d, nameof(beta));
        Guard.Length(invStd, d, nameof(invStd));
        Guard.Shape(y, m, d, nameof(y));
        Guard.Shape(xHat, m, d, nameof(xHat));
        BatchStatistics(x, mean, variance);
        for (var j = 0; j < d; j++) invStd[j] = T.One / T.Sqrt(variance[j] + eps);
        // x̂_i = (x_i − μ_B)/√(σ²_B + ε) and y_i = γ x̂_i + β, in one pass.
        BatchNormKernels.NormalizeAffine<T>(x.Data, d, mean, invStd, gamma, beta, xHat.Data, y.Data);
    }

    /// <summary>
    /// Inference forward, the paper's Algorithm 2: y = γ (x − E[x]) / √(Var[x] + ε) + β with fixed
    /// population estimates, i.e. one affine map per feature; the output of one example does not
    /// depend on the rest of the batch.
    /// </summary>
    public static void ForwardInference<T>(
        Matrix<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta,
        ReadOnlySpan<T> runningMean, ReadOnlySpan<T> runningVariance, T eps, Matrix<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = x.Rows, d = x.Cols;
        Guard.Length(gamma, d, nameof(gamma));
        Guard.Length(beta, d, nameof(beta));
        Guard.Length(runningMean, d, nameof(runningMean));
        Guard.Length(runningVariance, d, nameof(runningVariance));
        Guard.Shape(y, m, d, nameof(y));
        Span<T> scale = d <= 1024 ? stackalloc T[d] : new T[d];
        Span<T> shift = d <= 1024 ? stackalloc T[d] : new T[d];
        InferenceAffine(gamma, beta, runningMean, runningVariance, eps, scale, shift);
        for (var i = 0; i < m; i++) VectorMath.MultiplyAdd<T>(scale, x.Row(i), shift, y.Row(i));
    }

    /// <summary>
    /// The affine map BN becomes at inference: y = scale·x + shift with
    /// scale = γ/√(Var[x] + ε) and shift = β − γ E[x]/√(Var[x] + ε).
    /// </summary>
    public static void InferenceAffine<T>(
        ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, ReadOnlySpan<T> runningMean, ReadOnlySpan<T> runningVariance,
        T eps, Span<T> scale, Span<T> shift)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var j = 0; j < gamma.Length; j++)
        {
            scale[j] = gamma[j] / T.Sqrt(runningVariance[j] + eps);
            shift[j] = beta[j] - scale[j] * runningMean[j];
        }
    }

    /// <summary>
    /// Backward pass step by step along the computation graph, exactly the paper's printed equations:
    /// ∂ℓ/∂x̂_i = ∂ℓ/∂y_i · γ;
    /// ∂ℓ/∂σ²_B = Σ_i ∂ℓ/∂x̂_i (x_i − μ_B) · (−½)(σ²_B + ε)^(−3/2);
    /// ∂ℓ/∂μ_B = Σ_i ∂ℓ/∂x̂_i · (−1/√(σ²_B + ε)) + ∂ℓ/∂σ²_B · Σ_i −2(x_i − μ_B)/m;
    /// ∂ℓ/∂x_i = ∂ℓ/∂x̂_i/√(σ²_B + ε) + ∂ℓ/∂σ²_B · 2(x_i − μ_B)/m + ∂ℓ/∂μ_B/m;
    /// ∂ℓ/∂γ = Σ_i ∂ℓ/∂y_i x̂_i; ∂ℓ/∂β = Σ_i ∂ℓ/∂y_i.
    /// </summary>
    public static void BackwardGraph<T>(
        Matrix<T> dy, Matrix<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> mean, ReadOnlySpan<T> variance, T eps,
        Matrix<T> dx, Span<T> dGamma, Span<T> dBeta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = x.Rows, d = x.Cols;
        Guard.Shape(dy, m, d, nameof(dy));
        Guard.Shape(dx, m, d, nameof(dx));
        var mT = T.CreateChecked(m);
        var two = T.CreateChecked(2);
        var minusHalf = T.CreateChecked(-0.5);
        for (var j = 0; j < d; j++)
        {
            var sd = T.Sqrt(variance[j] + eps);
            T dVar = T.Zero, dMuDirect = T.Zero, sumCentered = T.Zero, dG = T.Zero, dB = T.Zero;
            for (var i = 0; i < m; i++)
            {
                var centered = x[i, j] - mean[j];
                var dXHat = dy[i, j] * gamma[j];
                dVar += dXHat * centered * minusHalf / (sd * sd * sd);
                dMuDirect += dXHat * (-T.One / sd);
                sumCentered += -two * centered;
                dG += dy[i, j] * (centered / sd);
                dB += dy[i, j];
            }
            var dMu = dMuDirect + dVar * sumCentered / mT;
            for (var i = 0; i < m; i++)
            {
                var centered = x[i, j] - mean[j];
                var dXHat = dy[i, j] * gamma[j];
                dx[i, j] = dXHat / sd + dVar * two * centered / mT + dMu / mT;
            }
            dGamma[j] = dG;
            dBeta[j] = dB;
        }
    }

    /// <summary>
    /// Backward pass in closed form (the graph's terms collected):
    /// ∂ℓ/∂x_i = γ/(m √(σ²_B + ε)) · (m ∂ℓ/∂y_i − Σ_k ∂ℓ/∂y_k − x̂_i Σ_k ∂ℓ/∂y_k x̂_k);
    /// ∂ℓ/∂γ = Σ_i ∂ℓ/∂y_i x̂_i; ∂ℓ/∂β = Σ_i ∂ℓ/∂y_i. Needs only x̂ and 1/√(σ²_B + ε) from the forward pass.
    /// </summary>
    public static void BackwardClosedForm<T>(
        Matrix<T> dy, Matrix<T> xHat, ReadOnlySpan<T> gamma, ReadOnlySpan<T> invStd,
        Matrix<T> dx, Span<T> dGamma, Span<T> dBeta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = xHat.Rows, d = xHat.Cols;
        Guard.Shape(dy, m, d, nameof(dy));
        Guard.Shape(dx, m, d, nameof(dx));
        Guard.Length(dGamma, d, nameof(dGamma));
        Guard.Length(dBeta, d, nameof(dBeta));
        // ∂ℓ/∂β = Σ_i ∂ℓ/∂y_i and ∂ℓ/∂γ = Σ_i ∂ℓ/∂y_i x̂_i, in one pass.
        BatchNormKernels.GradientSums<T>(dy.Data, xHat.Data, d, dBeta, dGamma);
        // Per feature: γ/√(σ²_B + ε), and the two batch means mean(∂ℓ/∂y) and mean(∂ℓ/∂y · x̂).
        Span<T> scale = d <= 1024 ? stackalloc T[d] : new T[d];
        Span<T> meanDy = d <= 1024 ? stackalloc T[d] : new T[d];
        Span<T> meanDyXHat = d <= 1024 ? stackalloc T[d] : new T[d];
        var invM = T.One / T.CreateChecked(m);
        for (var j = 0; j < d; j++)
        {
            scale[j] = gamma[j] * invStd[j];
            meanDy[j] = dBeta[j] * invM;
            meanDyXHat[j] = dGamma[j] * invM;
        }
        // ∂ℓ/∂x_i = (∂ℓ/∂y_i − (mean(∂ℓ/∂y) + x̂_i mean(∂ℓ/∂y x̂))) γ/√(σ²_B + ε).
        BatchNormKernels.InputGradient<T>(dy.Data, xHat.Data, d, meanDyXHat, meanDy, scale, dx.Data);
    }
    /// <summary>
    /// Backward pass after an inference-mode forward pass. With the running estimates fixed the layer is the affine
    /// map y = γ x̂ + β with x̂ = (x − E[x])/√(Var[x] + ε) per feature, so nothing couples the examples:
    /// ∂ℓ/∂x_i = γ/√(Var[x] + ε) · ∂ℓ/∂y_i; ∂ℓ/∂γ = Σ_i ∂ℓ/∂y_i x̂_i; ∂ℓ/∂β = Σ_i ∂ℓ/∂y_i.
    /// (Fine-tuning with frozen statistics, Keras's <c>training=False</c>, trains through this.)
    /// </summary>
    public static void BackwardInference<T>(
        Matrix<T> dy, Matrix<T> x, ReadOnlySpan<T> gamma, ReadOnlySpan<T> runningMean, ReadOnlySpan<T> runningVariance, T eps,
        Matrix<T> dx, Span<T> dGamma, Span<T> dBeta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int m = x.Rows, d = x.Cols;
        Guard.Shape(dy, m, d, nameof(dy));
        Guard.Shape(dx, m, d, nameof(dx));
        Guard.Length(gamma, d, nameof(gamma));
        Guard.Length(runningMean, d, nameof(runningMean));
        Guard.Length(runningVariance, d, nameof(runningVariance));
        Guard.Length(dGamma, d, nameof(dGamma));
        Guard.Length(dBeta, d, nameof(dBeta));
        dGamma.Clear();
        dBeta.Clear();
        for (var j = 0; j < d; j++)
        {
            var invStd = T.One / T.Sqrt(runningVariance[j] + eps);
            var scale = gamma[j] * invStd; // γ/√(Var[x] + ε)
            for (var i = 0; i < m; i++)
            {
                var g = dy[i, j];
                dBeta[j] += g;
                dGamma[j] += g * (x[i, j] - runningMean[j]) * invStd;
                dx[i, j] = scale * g;
            }
        }
    }
}
