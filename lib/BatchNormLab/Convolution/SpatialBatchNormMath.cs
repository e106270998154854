using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BatchNormLab.Tensors;

namespace BatchNormLab.Convolution;

/// <summary>
/// Spatial batch norm (the paper's §3.2) as pure functions on the library's NCHW layout: N rows of C·P values,
/// P = H·W. Channel c's m' = N·P values are the N contiguous runs x[n, c·P … c·P + P − 1], so every sum and every
/// elementwise step goes run by run, SIMD along the run. The same formulas as <c>BatchNormMath</c> on the
/// (N·P) x C rearrangement (<see cref="ChannelLayout.ToChannelColumns{T}"/>), without the rearrangement, whose rows
/// of only C values vectorise poorly. Per-channel vectors have length C. No state lives here.
/// </summary>
public static class SpatialBatchNormMath
{
    /// <summary>
    /// Training forward, Algorithm 1 over m' = N·P values per channel: μ_c, the biased σ²_c (two passes, mean first),
    /// x̂ = (x − μ_c)/√(σ²_c + ε), y = γ_c x̂ + β_c. Writes y, x̂, μ, σ² and 1/√(σ² + ε) (kept for the backward pass).
    /// </summary>
    public static void ForwardTraining<T>(
        Matrix<T> x, int channels, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta, T eps,
        Matrix<T> y, Matrix<T> xHat, Span<T> mean, Span<T> variance, Span<T> invStd)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var p = Locations(x, channels, gamma, beta);
        Check(y, x, nameof(y));
        Check(xHat, x, nameof(xHat));
        Guard.Length(mean, channels, nameof(mean));
        Guard.Length(variance, channels, nameof(variance));
        Guard.Length(invStd, channels, nameof(invStd));
        var invM = T.One / T.CreateChecked(x.Rows * p);
        for (var c = 0; c < channels; c++)
        {
            var sum = T.Zero;
            for (var n = 0; n < x.Rows; n++) sum += Sum(Run(x, n, c, p));
            var mu = sum * invM;
            var squares = T.Zero;
            for (var n = 0; n < x.Rows; n++) squares += SumSquaredDeviation(Run(x, n, c, p), mu);
            var sigma2 = squares * invM;
            var inv = T.One / T.Sqrt(sigma2 + eps);
            for (var n = 0; n < x.Rows; n++)
                Normalise(Run(x, n, c, p), mu, inv, gamma[c], beta[c], Run(xHat, n, c, p), Run(y, n, c, p));
            (mean[c], variance[c], invStd[c]) = (mu, sigma2, inv);
        }
    }

    /// <summary>
    /// Inference forward, Algorithm 2: per channel the affine map y = s_c x + t_c with s_c = γ_c/√(Var_c + ε),
    /// t_c = β_c − s_c E_c (<c>BatchNormMath.InferenceAffine</c>).
    /// </summary>
    public static void ForwardInference<T>(
        Matrix<T> x, int channels, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta,
        ReadOnlySpan<T> runningMean, ReadOnlySpan<T> runningVariance, T eps, Matrix<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var p = Locations(x, channels, gamma, beta);
        Check(y, x, nameof(y));
        Guard.Length(runningMean, channels, nameof(runningMean));
        Guard.Length(runningVariance, channels, nameof(runningVariance));
        for (var c = 0; c < channels; c++)
        {
            var s = gamma[c] / T.Sqrt(runningVariance[c] + eps);
            var t = beta[c] - s * runningMean[c];
            for (var n = 0; n < x.Rows; n++) Affine(Run(x, n, c, p), s, t, Run(y, n, c, p));
        }
    }

    /// <summary>
    /// Backward in closed form, sums over all m' = N·P values of a channel:
    /// ∂ℓ/∂β_c = Σ ∂ℓ/∂y; ∂ℓ/∂γ_c = Σ ∂ℓ/∂y x̂;
    /// ∂ℓ/∂x = γ_c/√(σ²_c + ε) · (∂ℓ/∂y − mean(∂ℓ/∂y) − x̂ mean(∂ℓ/∂y x̂)).
    /// </summary>
    public static void BackwardClosedForm<T>(
        Matrix<T> dy, Matrix<T> xHat, int channels, ReadOnlySpan<T> gamma, ReadOnlySpan<T> invStd,
        Matrix<T> dx, Span<T> dGamma, Span<T> dBeta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var p = Locations(xHat, channels, gamma, invStd);
        Check(dy, xHat, nameof(dy));
        Check(dx, xHat, nameof(dx));
        Guard.Length(dGamma, channels, nameof(dGamma));
        Guard.Length(dBeta, channels, nameof(dBeta));
        var invM = T.One / T.CreateChecked(xHat.Rows * p);
        for (var c = 0; c < channels; c++)
        {
            T sumDy = T.Zero, sumDyXHat = T.Zero;
            for (var n = 0; n < xHat.Rows; n++)
            {
                var (s, sx) = SumAndDot(Run(dy, n, c, p), Run(xHat, n, c, p), T.Zero);
                sumDy += s;
                sumDyXHat += sx;
            }
            (dBeta[c], dGamma[c]) = (sumDy, sumDyXHat);
            var scale = gamma[c] * invStd[c];
            for (var n = 0; n < xHat.Rows; n++)
                CorrectedGradient(Run(dy, n, c, p), Run(xHat, n, c, p), sumDy * invM, sumDyXHat * invM, scale, Run(dx, n, c, p));
        }
    }

    /// <summary>
    /// Backward after an inference-mode forward pass: the layer is y = γ_c x̂ + β_c with x̂ = (x − E_c)/√(Var_c + ε)
    /// fixed per channel, so ∂ℓ/∂x = γ_c/√(Var_c + ε) ∂ℓ/∂y, ∂ℓ/∂γ_c = Σ ∂ℓ/∂y x̂, ∂ℓ/∂β_c = Σ ∂ℓ/∂y.
    /// </summary>
    public static void BackwardInference<T>(
        Matrix<T> dy, Matrix<T> x, int channels, ReadOnlySpan<T> gamma, ReadOnlySpan<T> runningMean, ReadOnlySpan<T> runningVariance, T eps,
        Matrix<T> dx, Span<T> dGamma, Span<T> dBeta)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var p = Locations(x, channels, gamma, runningMean);
        Check(dy, x, nameof(dy));
        Check(dx, x, nameof(dx));
        Guard.Length(runningVariance, channels, nameof(runningVariance));
        Guard.Length(dGamma, channels, nameof(dGamma));
        Guard.Length(dBeta, channels, nameof(dBeta));
        for (var c = 0; c < channels; c++)
        {
            var invStd = T.One / T.Sqrt(runningVariance[c] + eps);
            T sumDy = T.Zero, sumDyCentered = T.Zero;
            for (var n = 0; n < x.Rows; n++)
            {
                var (s, sx) = SumAndDot(Run(dy, n, c, p), Run(x, n, c, p), runningMean[c]);
                sumDy += s;
                sumDyCentered += sx;
                Affine(Run(dy, n, c, p), gamma[c] * invStd, T.Zero, Run(dx, n, c, p));
            }
            (dBeta[c], dGamma[c]) = (sumDy, sumDyCentered * invStd);
        }
    }

    // Channel c of image n: P contiguous values.
    private static Span<T> Run<T>(Matrix<T> m, int n, int c, int p) where T : unmanaged, IFloatingPointIeee754<T> =>
        m.Data.AsSpan(n * m.Cols + c * p, p);

    private static int Locations<T>(Matrix<T> x, int channels, ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x);
        if (channels <= 0 || x.Cols % channels != 0)
            throw new ArgumentException($"Shape mismatch: {x.Shape} rows of {x.Cols} values cannot hold {channels} channels of equal size (NCHW per row).", nameof(x));
        Guard.Length(a, channels, "per-channel vectors");
        Guard.Length(b, channels, "per-channel vectors");
        return x.Cols / channels;
    }

    private static void Check<T>(Matrix<T> m, Matrix<T> like, string name) where T : unmanaged, IFloatingPointIeee754<T> =>
        Guard.Shape(m, like.Rows, like.Cols, name);

    private static T Sum<T>(ReadOnlySpan<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var acc = Vector<T>.Zero;
        var i = 0;
        for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count) acc += Load(x, i);
        var sum = Vector.Sum(acc);
        for (; i < x.Length; i++) sum += x[i];
        return sum;
    }

    private static T SumSquaredDeviation<T>(ReadOnlySpan<T> x, T mean) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var acc = Vector<T>.Zero;
        var mu = new Vector<T>(mean);
        var i = 0;
        for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
        {
            var d = Load(x, i) - mu;
            acc += d * d;
        }
        var sum = Vector.Sum(acc);
        for (; i < x.Length; i++) sum += (x[i] - mean) * (x[i] - mean);
        return sum;
    }

    // (Σ a, Σ a·(b − center)) in one sweep.
    private static (T Sum, T Dot) SumAndDot<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, T center) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T> s = Vector<T>.Zero, d = Vector<T>.Zero, vc = new(center);
        var i = 0;
        for (; i <= a.Length - Vector<T>.Count; i += Vector<T>.Count)
        {
            var va = Load(a, i);
            s += va;
            d += va * (Load(b, i) - vc);
        }
        T sum = Vector.Sum(s), dot = Vector.Sum(d);
        for (; i < a.Length; i++)
        {
            sum += a[i];
            dot += a[i] * (b[i] - center);
        }
        return (sum, dot);
    }

    // x̂ = (x − μ)·inv, y = γ x̂ + β.
    private static void Normalise<T>(ReadOnlySpan<T> x, T mean, T inv, T gamma, T beta, Span<T> xHat, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T> mu = new(mean), s = new(inv), g = new(gamma), b = new(beta);
        var i = 0;
        for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count)
        {
            var h = (Load(x, i) - mu) * s;
            Store(h, xHat, i);
            Store(g * h + b, y, i);
        }
        for (; i < x.Length; i++)
        {
            xHat[i] = (x[i] - mean) * inv;
            y[i] = gamma * xHat[i] + beta;
        }
    }

    // y = s·x + t.
    private static void Affine<T>(ReadOnlySpan<T> x, T s, T t, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T> vs = new(s), vt = new(t);
        var i = 0;
        for (; i <= x.Length - Vector<T>.Count; i += Vector<T>.Count) Store(vs * Load(x, i) + vt, y, i);
        for (; i < x.Length; i++) y[i] = s * x[i] + t;
    }

    // dx = scale·(dy − mean(dy) − x̂·mean(dy x̂)).
    private static void CorrectedGradient<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> xHat, T meanDy, T meanDyXHat, T scale, Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Vector<T> md = new(meanDy), mdx = new(meanDyXHat), s = new(scale);
        var i = 0;
        for (; i <= dy.Length - Vector<T>.Count; i += Vector<T>.Count)
            Store((Load(dy, i) - md - Load(xHat, i) * mdx) * s, dx, i);
        for (; i < dy.Length; i++) dx[i] = (dy[i] - meanDy - xHat[i] * meanDyXHat) * scale;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Load<T>(ReadOnlySpan<T> x, int i) where T : unmanaged =>
        Vector.LoadUnsafe(ref MemoryMarshal.GetReference(x), (nuint)i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(Vector<T> v, Span<T> x, int i) where T : unmanaged =>
        v.StoreUnsafe(ref MemoryMarshal.GetReference(x), (nuint)i);
}
