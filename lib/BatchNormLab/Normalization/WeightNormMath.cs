using System.Numerics;
using BatchNormLab.Tensors;

namespace BatchNormLab.Normalization;

/// <summary>
/// Weight normalisation as pure functions (Salimans &amp; Kingma 2016): each output unit j's weight vector (column j
/// of the D_in x D_out matrix) is w_j = g_j v_j / ‖v_j‖, so its length g_j and its direction v_j/‖v_j‖ are learned
/// separately. No statistics of the data at all: training and inference are the same computation.
/// </summary>
public static class WeightNormMath
{
    /// <summary>w = g v/‖v‖ column by column; writes the column norms ‖v_j‖ (kept for the backward pass).</summary>
    public static void Weights<T>(Matrix<T> v, ReadOnlySpan<T> g, Matrix<T> w, Span<T> norms)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = v.Rows, cols = v.Cols;
        Guard.Length(g, cols, nameof(g), "output units");
        Guard.Length(norms, cols, nameof(norms), "output units");
        Guard.Shape(w, rows, cols, nameof(w));
        norms.Clear();
        for (var i = 0; i < rows; i++)
        {
            var vr = v.Row(i);
            for (var j = 0; j < cols; j++) norms[j] += vr[j] * vr[j];
        }
        for (var j = 0; j < cols; j++)
        {
            if (!(norms[j] > T.Zero))
                throw new ArgumentException($"Weight norm: column {j} of v is all zeros, so its direction v/‖v‖ is undefined. Initialise v with non-zero values.", nameof(v));
            norms[j] = T.Sqrt(norms[j]);
        }
        for (var i = 0; i < rows; i++)
        {
            var vr = v.Row(i);
            var wr = w.Row(i);
            for (var j = 0; j < cols; j++) wr[j] = g[j] * vr[j] / norms[j];
        }
    }

    /// <summary>
    /// Backward from ∂ℓ/∂w: ∂ℓ/∂g_j = (∂ℓ/∂w_j · v_j)/‖v_j‖ and ∂ℓ/∂v_j = (g_j/‖v_j‖) ∂ℓ/∂w_j − (g_j ∂ℓ/∂g_j/‖v_j‖²) v_j
    /// (the gradient with respect to w, projected away from w and scaled by g/‖v‖).
    /// </summary>
    public static void Backward<T>(Matrix<T> dw, Matrix<T> v, ReadOnlySpan<T> g, ReadOnlySpan<T> norms, Matrix<T> dv, Span<T> dg)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = v.Rows, cols = v.Cols;
        Guard.Shape(dw, rows, cols, nameof(dw));
        Guard.Shape(dv, rows, cols, nameof(dv));
        Guard.Length(g, cols, nameof(g), "output units");
        Guard.Length(norms, cols, nameof(norms), "output units");
        Guard.Length(dg, cols, nameof(dg), "output units");
        dg.Clear();
        for (var i = 0; i < rows; i++)
        {
            var dwr = dw.Row(i);
            var vr = v.Row(i);
            for (var j = 0; j < cols; j++) dg[j] += dwr[j] * vr[j];
        }
        for (var j = 0; j < cols; j++) dg[j] /= norms[j];
        for (var i = 0; i < rows; i++)
        {
            var dwr = dw.Row(i);
            var vr = v.Row(i);
            var dvr = dv.Row(i);
            for (var j = 0; j < cols; j++)
                dvr[j] = g[j] / norms[j] * dwr[j] - g[j] * dg[j] / (norms[j] * norms[j]) * vr[j];
        }
    }
}
