using System.Numerics;
using BatchNormLab.Tensors;

namespace BatchNormLab.Convolution;

/// <summary>
/// The plain loops that define what <see cref="ConvolutionMath"/> computes, straight from the sum
/// y[n, o, h', w'] = b_o + Σ_{c,i,j} W[o, (c,i,j)] · x[n, c, h'·s − pad + i, w'·s − pad + j].
/// Slow and obviously right: the im2col version is tested against these.
/// </summary>
public static class ConvolutionReference
{
    /// <summary>y (N x C_out·H'·W') for x (N x C_in·H·W), weights C_out x C_in·k·k and an optional bias.</summary>
    public static Matrix<T> Forward<T>(Matrix<T> x, Matrix<T> weights, T[]? bias, ConvGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(g);
        Guard.Shape(x, -1, g.Input.Size, nameof(x));
        Guard.Shape(weights, g.Output.Channels, g.PatchSize, nameof(weights));
        var y = new Matrix<T>(x.Rows, g.Output.Size);
        for (var n = 0; n < x.Rows; n++)
            for (var o = 0; o < g.Output.Channels; o++)
                for (var r = 0; r < g.Output.Height; r++)
                    for (var q = 0; q < g.Output.Width; q++)
                    {
                        var sum = bias is null ? T.Zero : bias[o];
                        foreach (var (c, i, j, ih, iw) in Taps(g, r, q))
                            sum += weights[o, (c * g.Kernel + i) * g.Kernel + j] * x[n, (c * g.Input.Height + ih) * g.Input.Width + iw];
                        y[n, (o * g.Output.Height + r) * g.Output.Width + q] = sum;
                    }
        return y;
    }

    /// <summary>∂ℓ/∂x, ∂ℓ/∂W and ∂ℓ/∂b for ∂ℓ/∂y <paramref name="dy"/>: each term of the forward sum sends dy back to the two factors it multiplied.</summary>
    public static (Matrix<T> Dx, Matrix<T> DWeights, T[] DBias) Backward<T>(Matrix<T> x, Matrix<T> weights, Matrix<T> dy, ConvGeometry g)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(g);
        Guard.Shape(x, -1, g.Input.Size, nameof(x));
        Guard.Shape(dy, x.Rows, g.Output.Size, nameof(dy));
        var dx = new Matrix<T>(x.Rows, g.Input.Size);
        var dw = new Matrix<T>(weights.Rows, weights.Cols);
        var db = new T[g.Output.Channels];
        for (var n = 0; n < x.Rows; n++)
            for (var o = 0; o < g.Output.Channels; o++)
                for (var r = 0; r < g.Output.Height; r++)
                    for (var q = 0; q < g.Output.Width; q++)
                    {
                        var d = dy[n, (o * g.Output.Height + r) * g.Output.Width + q];
                        db[o] += d;
                        foreach (var (c, i, j, ih, iw) in Taps(g, r, q))
                        {
                            var wi = (c * g.Kernel + i) * g.Kernel + j;
                            var xi = (c * g.Input.Height + ih) * g.Input.Width + iw;
                            dw[o, wi] += d * x[n, xi];
                            dx[n, xi] += d * weights[o, wi];
                        }
                    }
        return (dx, dw, db);
    }

    // The filter taps (c, i, j) of output location (r, q) that land inside the image, with their pixel (ih, iw).
    private static IEnumerable<(int C, int I, int J, int Ih, int Iw)> Taps(ConvGeometry g, int r, int q)
    {
        for (var c = 0; c < g.Input.Channels; c++)
            for (var i = 0; i < g.Kernel; i++)
                for (var j = 0; j < g.Kernel; j++)
                {
                    int ih = r * g.Window.Stride - g.Window.Padding + i, iw = q * g.Window.Stride - g.Window.Padding + j;
                    if (ih >= 0 && ih < g.Input.Height && iw >= 0 && iw < g.Input.Width) yield return (c, i, j, ih, iw);
                }
    }
}
