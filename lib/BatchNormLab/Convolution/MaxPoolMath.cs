using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BatchNormLab.Tensors;

namespace BatchNormLab.Convolution;

/// <summary>
/// Max pooling as pure functions, PyTorch's <c>max_pool2d</c>: each channel separately, the maximum over a
/// k x k window moved by the stride; padding only widens the border (padded cells never win). Batches are
/// N x C·H·W, NCHW per row. The backward pass routes each output's gradient to the input that won
/// (the first maximum in row-major window order on ties, as PyTorch does).
/// </summary>
public static class MaxPoolMath
{
    /// <summary>The output shape; throws a clear error for a window that does not fit or padding over k/2 (PyTorch's limit).</summary>
    public static ImageShape OutputShape(ImageShape input, Window window, string owner = "maxpool")
    {
        var output = window.Output(input, input.Channels, owner);
        if (2 * window.Padding > window.Kernel)
            throw new ArgumentException(
                $"{owner}: padding {window.Padding} is more than half the {window.Kernel}x{window.Kernel} window, so a window could lie entirely in the padding. " +
                "Use padding ≤ kernel/2.");
        return output;
    }

    /// <summary>
    /// y[n, c, h', w'] = max over the window of x[n, c, ·, ·]. <paramref name="argmax"/> (length N·C·H'·W')
    /// receives, per output, the column of its winner in x's row, for <see cref="Backward{T}"/>.
    /// </summary>
    public static void Forward<T>(Matrix<T> x, ImageShape input, Window window, Matrix<T> y, int[] argmax)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = OutputShape(input, window);
        Guard.Shape(x, -1, input.Size, nameof(x));
        Guard.Shape(y, x.Rows, output.Size, nameof(y));
        ArgumentNullException.ThrowIfNull(argmax);
        Guard.Length<int>(argmax, y.Data.Length, nameof(argmax), "outputs");
        if (window is { Kernel: 2, Stride: 2, Padding: 0 })
        {
            ForwardTwoByTwo(x, input, y, argmax);
            return;
        }
        ForwardAnyWindow(x, input, window, y, argmax);
    }

    /// <summary>The general loop of <see cref="Forward{T}"/>, any window (the reference for the 2 x 2 path).</summary>
    internal static void ForwardAnyWindow<T>(Matrix<T> x, ImageShape input, Window window, Matrix<T> y, int[] argmax)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = OutputShape(input, window);
        int h = input.Height, w = input.Width, k = window.Kernel, s = window.Stride, pad = window.Padding;
        int oh = output.Height, ow = output.Width;
        var xs = x.Data;
        var ys = y.Data;
        for (var n = 0; n < x.Rows; n++)
            for (var c = 0; c < input.Channels; c++)
            {
                var plane = c * h * w;
                var rowBase = n * input.Size;
                var outBase = n * output.Size + c * oh * ow;
                for (var r = 0; r < oh; r++)
                {
                    int h0 = Math.Max(0, r * s - pad), h1 = Math.Min(h, r * s - pad + k);
                    for (var q = 0; q < ow; q++)
                    {
                        int w0 = Math.Max(0, q * s - pad), w1 = Math.Min(w, q * s - pad + k);
                        var best = plane + h0 * w + w0;
                        var max = xs[rowBase + best];
                        // !(v <= max) is v > max or v NaN: a NaN wins and stays (nothing compares above it), as in PyTorch.
                        for (var ih = h0; ih < h1 && !T.IsNaN(max); ih++)
                        {
                            var line = rowBase + plane + ih * w;
                            for (var iw = w0; iw < w1; iw++)
                            {
                                var v = xs[line + iw];
                                if (!(v <= max))
                                {
                                    max = v;
                                    best = plane + ih * w + iw;
                                    if (T.IsNaN(v)) break;
                                }
                            }
                        }
                        ys[outBase + r * ow + q] = max;
                        argmax[outBase + r * ow + q] = best;
                    }
                }
            }
    }

    /// <summary>
    /// The common 2 x 2 window, stride 2, no padding (the CNN's pooling): the same result as the general loop, which
    /// spends most of its time on window bounds and loop control for 4 values. Candidates in row-major order
    /// a b / c d; a later one wins only if greater (ties: the first), and once the maximum is NaN it stays.
    /// </summary>
    private static void ForwardTwoByTwo<T>(Matrix<T> x, ImageShape input, Matrix<T> y, int[] argmax)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int w = input.Width, oh = input.Height / 2, ow = w / 2, planeIn = input.Locations, planeOut = oh * ow;
        ref var xs = ref MemoryMarshal.GetArrayDataReference(x.Data);
        ref var ys = ref MemoryMarshal.GetArrayDataReference(y.Data);
        ref var winners = ref MemoryMarshal.GetArrayDataReference(argmax);
        for (var n = 0; n < x.Rows; n++)
            for (var c = 0; c < input.Channels; c++)
            {
                var rowBase = n * input.Size;
                var plane = c * planeIn;
                var outBase = n * y.Cols + c * planeOut;
                for (var r = 0; r < oh; r++)
                {
                    var top = plane + 2 * r * w; // column of a in x's row
                    var o = outBase + r * ow;
                    for (var q = 0; q < ow; q++, top += 2, o++)
                    {
                        var best = top;
                        var max = Unsafe.Add(ref xs, rowBase + best);
                        Consider(ref xs, rowBase, top + 1, ref max, ref best);
                        Consider(ref xs, rowBase, top + w, ref max, ref best);
                        Consider(ref xs, rowBase, top + w + 1, ref max, ref best);
                        Unsafe.Add(ref ys, o) = max;
                        Unsafe.Add(ref winners, o) = best;
                    }
                }
            }
    }

    // !(v <= max) is v > max or v NaN: a NaN wins and stays (nothing compares above it), as in PyTorch.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Consider<T>(ref T xs, int rowBase, int column, ref T max, ref int best) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var v = Unsafe.Add(ref xs, rowBase + column);
        if (!(v <= max) && !T.IsNaN(max))
        {
            max = v;
            best = column;
        }
    }

    /// <summary>
    /// ∂ℓ/∂x: zero except at each window's winner, which receives that output's ∂ℓ/∂y (summed if overlapping
    /// windows chose the same input). <paramref name="dy"/> is N x C·H'·W', <paramref name="dx"/> N x C·H·W.
    /// </summary>
    public static void Backward<T>(Matrix<T> dy, int[] argmax, Matrix<T> dx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(dy);
        ArgumentNullException.ThrowIfNull(dx);
        ArgumentNullException.ThrowIfNull(argmax);
        Guard.Shape(dx, dy.Rows, -1, nameof(dx));
        Guard.Length<int>(argmax, dy.Data.Length, nameof(argmax), "outputs");
        Array.Clear(dx.Data);
        for (var n = 0; n < dy.Rows; n++)
        {
            var dyRow = dy.Row(n);
            var dxRow = dx.Row(n);
            var winners = argmax.AsSpan(n * dy.Cols, dy.Cols);
            for (var o = 0; o < dyRow.Length; o++) dxRow[winners[o]] += dyRow[o];
        }
    }
}
