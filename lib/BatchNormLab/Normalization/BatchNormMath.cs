using System.Numerics;
using System.Runtime.InteropServices;
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
        var invM = T.One / T.CreateChecked(m);
        ref var x0 = ref MemoryMarshal.GetArrayDataReference(x.Data);
        // A block of features at a time (SIMD lanes = features), down all rows, while the block's column
        // stays in L1: each sum runs over i = 0, 1, ..., m−1, as the plain loop below does.
        var j = 0;
        for (; Vector.IsHardwareAccelerated && j + Vector<T>.Count <= d; j += Vector<T>.Count)
        {
            var sum = Vector<T>.Zero;
            for (var i = 0; i < m; i++) sum += Load(ref x0, i * d + j);
            var mu = sum * invM;
            var squares = Vector<T>.Zero;
            for (var i = 0; i < m; i++)
            {
                var centered = Load(ref x0, i * d + j) - mu;
                squares += centered * centered;
            }
            mu.CopyTo(mean[j..]);
            (squares * invM).CopyTo(variance[j..]);
        }
        for (; j < d; j++)
        {
            var sum = T.Zero;
            for (var i = 0; i < m; i++) sum += x.Data[i * d + j];
            var mu = sum * invM;
            var squares = T.Zero;
            for (var i = 0; i < m; i++)
            {
                var centered = x.Data[i * d + j] - mu;
                squares += centered * centered;
            }
            mean[j] = mu;
            variance[j] = squares * invM;
        }
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
        ref var x0 = ref MemoryMarshal.GetArrayDataReference(x.Data);
        ref var xHat0 = ref MemoryMarshal.GetArrayDataReference(xHat.Data);
        ref var y0 = ref MemoryMarshal.GetArrayDataReference(y.Data);
        var f = 0;
        for (; Vector.IsHardwareAccelerated && f + Vector<T>.Count <= d; f += Vector<T>.Count)
        {
            Vector<T> mu = new(mean[f..]), s = new(invStd[f..]), g = new(gamma[f..]), b = new(beta[f..]);
            for (var i = 0; i < m; i++)
            {
                var at = i * d + f;
                var h = (Load(ref x0, at) - mu) * s; // x̂_i = (x_i − μ_B)/√(σ²_B + ε)
                Store(h, ref xHat0, at);
                Store(g * h + b, ref y0, at);        // y_i = γ x̂_i + β
            }
        }
        for (; f < d; f++)
        {
            for (var i = 0; i < m; i++)
            {
                var h = (x.Data[i * d + f] - mean[f]) * invStd[f];
                xHat.Data[i * d + f] = h;
                y.Data[i * d + f] = gamma[f] * h + beta[f];
            }
        }
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
        Guard.Length(gamma, d, nameof(gamma));
        Guard.Length(invStd, d, nameof(invStd));
        var invM = T.One / T.CreateChecked(m);
        ref var dy0 = ref MemoryMarshal.GetArrayDataReference(dy.Data);
        ref var xHat0 = ref MemoryMarshal.GetArrayDataReference(xHat.Data);
        ref var dx0 = ref MemoryMarshal.GetArrayDataReference(dx.Data);
        // A block of features at a time, down all rows (sums over i = 0, 1, ..., m−1), while its column stays in L1.
        var j = 0;
        for (; Vector.IsHardwareAccelerated && j + Vector<T>.Count <= d; j += Vector<T>.Count)
        {
            Vector<T> sumDy = Vector<T>.Zero, sumDyXHat = Vector<T>.Zero;
            for (var i = 0; i < m; i++)
            {
                var g = Load(ref dy0, i * d + j);
                sumDy += g;                                  // ∂ℓ/∂β = Σ_i ∂ℓ/∂y_i
                sumDyXHat += g * Load(ref xHat0, i * d + j); // ∂ℓ/∂γ = Σ_i ∂ℓ/∂y_i x̂_i
            }
            sumDy.CopyTo(dBeta[j..]);
            sumDyXHat.CopyTo(dGamma[j..]);
            // γ/√(σ²_B + ε), and the two batch means mean(∂ℓ/∂y) and mean(∂ℓ/∂y · x̂).
            var scale = new Vector<T>(gamma[j..]) * new Vector<T>(invStd[j..]);
            var meanDy = sumDy * invM;
            var meanDyXHat = sumDyXHat * invM;
            for (var i = 0; i < m; i++)
            {
                var at = i * d + j;
                var correction = meanDyXHat * Load(ref xHat0, at) + meanDy;   // mean(dy) + x̂_i mean(dy x̂)
                Store((Load(ref dy0, at) - correction) * scale, ref dx0, at); // ∂ℓ/∂x_i = (dy_i − that) γ/√(σ²_B + ε)
            }
        }
        for (; j < d; j++)
        {
            T sumDy = T.Zero, sumDyXHat = T.Zero;
            for (var i = 0; i < m; i++)
            {
                sumDy += dy.Data[i * d + j];
                sumDyXHat += dy.Data[i * d + j] * xHat.Data[i * d + j];
            }
            dBeta[j] = sumDy;
            dGamma[j] = sumDyXHat;
            T scale = gamma[j] * invStd[j], meanDy = sumDy * invM, meanDyXHat = sumDyXHat * invM;
            for (var i = 0; i < m; i++)
            {
                var correction = meanDyXHat * xHat.Data[i * d + j] + meanDy;
                dx.Data[i * d + j] = (dy.Data[i * d + j] - correction) * scale;
            }
        }
    }

    private static Vector<T> Load<T>(ref T origin, int offset) where T : unmanaged, IFloatingPointIeee754<T>
        => Vector.LoadUnsafe(ref origin, (nuint)offset);

    private static void Store<T>(Vector<T> value, ref T origin, int offset) where T : unmanaged, IFloatingPointIeee754<T>
        => value.StoreUnsafe(ref origin, (nuint)offset);
}
