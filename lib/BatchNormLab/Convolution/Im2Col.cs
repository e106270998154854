using System.Numerics;
using BatchNormLab.Tensors;

namespace BatchNormLab.Convolution;

/// <summary>
/// im2col and col2im: the copies that turn a convolution into one matrix product. Every k x k patch of the
/// (zero-padded) input becomes a column of a K x (N·P) matrix, K = C_in·k·k in the order (c, i, j) of
/// PyTorch's weight layout C_out x C_in x k x k, and columns in the order (n, h', w'). Then
/// y = W·patches, with W the C_out x K weight matrix, computes every filter at every location at once.
/// </summary>
public static class Im2Col
{
    /// <summary>
    /// patches[(c·k + i)·k + j, n·P + h'·W' + w'] = x[n, c, h'·s − pad + i, w'·s − pad + j], 0 outside the image.
    /// <paramref name="x"/> is N x C_in·H·W (NCHW per row); <paramref name="patches"/> is K x N·P.
    /// </summary>
    public static void Unfold<T>(Matrix<T> x, ConvGeometry g, Matrix<T> patches) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(g);
        Guard.Shape(x, -1, g.Input.Size, nameof(x));
        Guard.Shape(patches, g.PatchSize, x.Rows * g.Locations, nameof(patches));
        Walk(x, g, patches, unfold: true);
    }

    /// <summary>
    /// col2im, the adjoint of <see cref="Unfold{T}"/>: every patch entry is added back to the input value it was
    /// copied from (overlapping patches sum; padding entries are dropped). It turns ∂ℓ/∂patches into ∂ℓ/∂x.
    /// </summary>
    public static void Fold<T>(Matrix<T> patches, ConvGeometry g, Matrix<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(g);
        Guard.Shape(x, -1, g.Input.Size, nameof(x));
        Guard.Shape(patches, g.PatchSize, x.Rows * g.Locations, nameof(patches));
        Array.Clear(x.Data);
        Walk(x, g, patches, unfold: false);
    }

    // One loop for both directions, so that Fold is exactly Unfold's transpose.
    private static void Walk<T>(Matrix<T> x, ConvGeometry g, Matrix<T> patches, bool unfold) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int n = x.Rows, c = g.Input.Channels, h = g.Input.Height, w = g.Input.Width;
        int k = g.Kernel, s = g.Window.Stride, pad = g.Window.Padding;
        int oh = g.Output.Height, ow = g.Output.Width, p = g.Locations, np = n * p;
        var xs = x.Data;
        var cols = patches.Data;
        for (var ch = 0; ch < c; ch++)
            for (var i = 0; i < k; i++)
                for (var j = 0; j < k; j++)
                {
                    var row = ((ch * k + i) * k + j) * np;
                    // Output columns w' whose input column w'·s − pad + j lies inside [0, w).
                    var lo = Math.Max(0, CeilDiv(pad - j, s));
                    var hi = Math.Min(ow, FloorDiv(w - 1 + pad - j, s) + 1);
                    for (var img = 0; img < n; img++)
                    {
                        var plane = (img * c + ch) * h * w;
                        for (var r = 0; r < oh; r++)
                        {
                            var dst = row + img * p + r * ow;
                            var ih = r * s - pad + i;
                            if (ih < 0 || ih >= h || hi <= lo)
                            {
                                if (unfold) cols.AsSpan(dst, ow).Clear();
                                continue;
                            }
                            var src = plane + ih * w - pad + j;
                            if (unfold)
                            {
                                cols.AsSpan(dst, lo).Clear();
                                if (s == 1) xs.AsSpan(src + lo, hi - lo).CopyTo(cols.AsSpan(dst + lo, hi - lo));
                                else for (var q = lo; q < hi; q++) cols[dst + q] = xs[src + q * s];
                                cols.AsSpan(dst + hi, ow - hi).Clear();
                            }
                            else if (s == 1)
                            {
                                VectorMath.Add<T>(cols.AsSpan(dst + lo, hi - lo), xs.AsSpan(src + lo, hi - lo));
                            }
                            else
                            {
                                for (var q = lo; q < hi; q++) xs[src + q * s] += cols[dst + q];
                            }
                        }
                    }
                }
    }

    private static int CeilDiv(int a, int b) => a <= 0 ? -(-a / b) : (a + b - 1) / b;

    private static int FloorDiv(int a, int b) => a >= 0 ? a / b : -((-a + b - 1) / b);
}
