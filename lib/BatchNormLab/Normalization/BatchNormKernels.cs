using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BatchNormLab.Normalization;

/// <summary>
/// The loops behind <see cref="BatchNormMath"/>'s training forward and closed-form backward, over an m x d
/// row-major batch: fused so each pass reads the batch once, vectorised over features (SIMD lanes, scalar tail).
/// </summary>
/// <remarks>
/// Same operations in the same order as the formulas written as plain loops, one feature at a time, summing
/// over the rows in order, so the same bits (held by a test). Sums over the rows keep a block of features in
/// registers down all rows instead of adding row after row into memory, whose store-to-load chain bound the
/// row sweep; the per-example passes compute two outputs in one sweep instead of two. Measured on AMD Zen 3,
/// batch 256 x 100 features: forward 21 → 13 µs, backward 18 → 10 µs (after <see cref="Tensors.VectorMath"/> lost its bounds checks).
/// </remarks>
internal static class BatchNormKernels
{
    /// <summary>sum[j] = Σ_i (x[i, j] − c[j])² (the rows in order).</summary>
    public static void SquaredDifferenceSums<T>(ReadOnlySpan<T> x, int d, ReadOnlySpan<T> c, Span<T> sum)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var cr = ref MemoryMarshal.GetReference(c);
        ref var sr = ref MemoryMarshal.GetReference(sum);
        nuint m = (nuint)(x.Length / d), n = (nuint)d, w = W<T>(), j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; j + 4 * w <= n; j += 4 * w)
            {
                var c0 = Vector.LoadUnsafe(ref cr, j);
                var c1 = Vector.LoadUnsafe(ref cr, j + w);
                var c2 = Vector.LoadUnsafe(ref cr, j + 2 * w);
                var c3 = Vector.LoadUnsafe(ref cr, j + 3 * w);
                Vector<T> a0 = default, a1 = default, a2 = default, a3 = default;
                for (nuint i = 0, o = j; i < m; i++, o += n)
                {
                    var d0 = Vector.LoadUnsafe(ref xr, o) - c0;
                    var d1 = Vector.LoadUnsafe(ref xr, o + w) - c1;
                    var d2 = Vector.LoadUnsafe(ref xr, o + 2 * w) - c2;
                    var d3 = Vector.LoadUnsafe(ref xr, o + 3 * w) - c3;
                    a0 += d0 * d0;
                    a1 += d1 * d1;
                    a2 += d2 * d2;
                    a3 += d3 * d3;
                }
                a0.StoreUnsafe(ref sr, j);
                a1.StoreUnsafe(ref sr, j + w);
                a2.StoreUnsafe(ref sr, j + 2 * w);
                a3.StoreUnsafe(ref sr, j + 3 * w);
            }
            for (; j + w <= n; j += w)
            {
                var cv = Vector.LoadUnsafe(ref cr, j);
                Vector<T> a = default;
                for (nuint i = 0, o = j; i < m; i++, o += n)
                {
                    var dv = Vector.LoadUnsafe(ref xr, o) - cv;
                    a += dv * dv;
                }
                a.StoreUnsafe(ref sr, j);
            }
        }
        for (; j < n; j++)
        {
            var s = T.Zero;
            var cj = At(ref cr, j);
            for (nuint i = 0, o = j; i < m; i++, o += n)
            {
                var dv = At(ref xr, o) - cj;
                s += dv * dv;
            }
            At(ref sr, j) = s;
        }
    }

    /// <summary>sumDy[j] = Σ_i dy[i, j] and sumDyXHat[j] = Σ_i dy[i, j]·x̂[i, j] (the rows in order), in one pass.</summary>
    public static void GradientSums<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> xHat, int d, Span<T> sumDy, Span<T> sumDyXHat)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var gr = ref MemoryMarshal.GetReference(dy);
        ref var hr = ref MemoryMarshal.GetReference(xHat);
        ref var br = ref MemoryMarshal.GetReference(sumDy);
        ref var pr = ref MemoryMarshal.GetReference(sumDyXHat);
        nuint m = (nuint)(dy.Length / d), n = (nuint)d, w = W<T>(), j = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; j + 4 * w <= n; j += 4 * w)
            {
                Vector<T> b0 = default, b1 = default, b2 = default, b3 = default;
                Vector<T> p0 = default, p1 = default, p2 = default, p3 = default;
                for (nuint i = 0, o = j; i < m; i++, o += n)
                {
                    var g0 = Vector.LoadUnsafe(ref gr, o);
                    var g1 = Vector.LoadUnsafe(ref gr, o + w);
                    var g2 = Vector.LoadUnsafe(ref gr, o + 2 * w);
                    var g3 = Vector.LoadUnsafe(ref gr, o + 3 * w);
                    b0 += g0;
                    b1 += g1;
                    b2 += g2;
                    b3 += g3;
                    p0 += g0 * Vector.LoadUnsafe(ref hr, o);
                    p1 += g1 * Vector.LoadUnsafe(ref hr, o + w);
                    p2 += g2 * Vector.LoadUnsafe(ref hr, o + 2 * w);
                    p3 += g3 * Vector.LoadUnsafe(ref hr, o + 3 * w);
                }
                b0.StoreUnsafe(ref br, j);
                b1.StoreUnsafe(ref br, j + w);
                b2.StoreUnsafe(ref br, j + 2 * w);
                b3.StoreUnsafe(ref br, j + 3 * w);
                p0.StoreUnsafe(ref pr, j);
                p1.StoreUnsafe(ref pr, j + w);
                p2.StoreUnsafe(ref pr, j + 2 * w);
                p3.StoreUnsafe(ref pr, j + 3 * w);
            }
            for (; j + w <= n; j += w)
            {
                Vector<T> b = default, p = default;
                for (nuint i = 0, o = j; i < m; i++, o += n)
                {
                    var g = Vector.LoadUnsafe(ref gr, o);
                    b += g;
                    p += g * Vector.LoadUnsafe(ref hr, o);
                }
                b.StoreUnsafe(ref br, j);
                p.StoreUnsafe(ref pr, j);
            }
        }
        for (; j < n; j++)
        {
            T b = T.Zero, p = T.Zero;
            for (nuint i = 0, o = j; i < m; i++, o += n)
            {
                var g = At(ref gr, o);
                b += g;
                p += g * At(ref hr, o);
            }
            At(ref br, j) = b;
            At(ref pr, j) = p;
        }
    }

    /// <summary>x̂[i, j] = (x[i, j] − μ[j])·s[j] and y[i, j] = γ[j] x̂[i, j] + β[j], in one pass.</summary>
    public static void NormalizeAffine<T>(
        ReadOnlySpan<T> x, int d, ReadOnlySpan<T> mean, ReadOnlySpan<T> invStd, ReadOnlySpan<T> gamma, ReadOnlySpan<T> beta,
        Span<T> xHat, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var xr = ref MemoryMarshal.GetReference(x);
        ref var mr = ref MemoryMarshal.GetReference(mean);
        ref var sr = ref MemoryMarshal.GetReference(invStd);
        ref var gr = ref MemoryMarshal.GetReference(gamma);
        ref var br = ref MemoryMarshal.GetReference(beta);
        ref var hr = ref MemoryMarshal.GetReference(xHat);
        ref var yr = ref MemoryMarshal.GetReference(y);
        nuint m = (nuint)(x.Length / d), n = (nuint)d, w = W<T>();
        for (nuint i = 0, o = 0; i < m; i++, o += n)
        {
            nuint j = 0;
            if (Vector.IsHardwareAccelerated)
            {
                for (; j + w <= n; j += w)
                {
                    var h = (Vector.LoadUnsafe(ref xr, o + j) - Vector.LoadUnsafe(ref mr, j)) * Vector.LoadUnsafe(ref sr, j);
                    h.StoreUnsafe(ref hr, o + j);
                    (Vector.LoadUnsafe(ref gr, j) * h + Vector.LoadUnsafe(ref br, j)).StoreUnsafe(ref yr, o + j);
                }
            }
            for (; j < n; j++)
            {
                var h = (At(ref xr, o + j) - At(ref mr, j)) * At(ref sr, j);
                At(ref hr, o + j) = h;
                At(ref yr, o + j) = At(ref gr, j) * h + At(ref br, j);
            }
        }
    }

    /// <summary>∂ℓ/∂x[i, j] = (∂ℓ/∂y[i, j] − (a[j] x̂[i, j] + b[j]))·scale[j], with a = mean(∂ℓ/∂y·x̂) and b = mean(∂ℓ/∂y).</summary>
    public static void InputGradient<T>(
        ReadOnlySpan<T> dy, ReadOnlySpan<T> xHat, int d, ReadOnlySpan<T> meanDyXHat, ReadOnlySpan<T> meanDy, ReadOnlySpan<T> scale,
        Span<T> dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref var gr = ref MemoryMarshal.GetReference(dy);
        ref var hr = ref MemoryMarshal.GetReference(xHat);
        ref var ar = ref MemoryMarshal.GetReference(meanDyXHat);
        ref var br = ref MemoryMarshal.GetReference(meanDy);
        ref var sr = ref MemoryMarshal.GetReference(scale);
        ref var dr = ref MemoryMarshal.GetReference(dx);
        nuint m = (nuint)(dy.Length / d), n = (nuint)d, w = W<T>();
        for (nuint i = 0, o = 0; i < m; i++, o += n)
        {
            nuint j = 0;
            if (Vector.IsHardwareAccelerated)
            {
                for (; j + w <= n; j += w)
                {
                    var correction = Vector.LoadUnsafe(ref ar, j) * Vector.LoadUnsafe(ref hr, o + j) + Vector.LoadUnsafe(ref br, j);
                    ((Vector.LoadUnsafe(ref gr, o + j) - correction) * Vector.LoadUnsafe(ref sr, j)).StoreUnsafe(ref dr, o + j);
                }
            }
            for (; j < n; j++)
            {
                var correction = At(ref ar, j) * At(ref hr, o + j) + At(ref br, j);
                At(ref dr, o + j) = (At(ref gr, o + j) - correction) * At(ref sr, j);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nuint W<T>() => (nuint)Vector<T>.Count;

    /// <summary>Element i after r, unchecked: the callers (<see cref="BatchNormMath"/>) check every shape first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ref T At<T>(ref T r, nuint i) => ref Unsafe.Add(ref r, i);
}
