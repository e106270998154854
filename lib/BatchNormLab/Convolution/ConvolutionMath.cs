using System.Numerics;
using BatchNormLab.Tensors;

namespace BatchNormLab.Convolution;

/// <summary>
/// 2-D convolution (PyTorch's <c>conv2d</c>: cross-correlation, zero padding, square kernel, no dilation or
/// groups) as pure functions on the fast <see cref="Gemm"/>. Batches are N x C·H·W, NCHW per row; the weights
/// are C_out x K with K = C_in·k·k (PyTorch's C_out x C_in x k x k, flattened); the bias has C_out values or none.
/// The caller passes every buffer, so a training step allocates nothing.
/// </summary>
/// <remarks>
/// y[n, o, h', w'] = b_o + Σ_{c,i,j} W[o, (c,i,j)] · x[n, c, h'·s − pad + i, w'·s − pad + j]. With the patch
/// matrix X̃ = im2col(x) (K x N·P) this is Y = W·X̃ (C_out x N·P), and the backward pass is two more products:
/// ∂ℓ/∂W = ∂ℓ/∂Y · X̃ᵀ and ∂ℓ/∂X̃ = Wᵀ·∂ℓ/∂Y, then col2im sums ∂ℓ/∂X̃ back onto the pixels; ∂ℓ/∂b_o = Σ_{n,p} ∂ℓ/∂y[n, o, p].
/// <see cref="ConvolutionReference"/> computes the same with plain loops.
/// </remarks>
public static class ConvolutionMath
{
    /// <summary>
    /// y = conv(x, W) + b. Fills <paramref name="patches"/> (K x N·P, kept for the backward pass) and
    /// <paramref name="channelRows"/> (C_out x N·P, scratch); writes <paramref name="y"/> (N x C_out·P).
    /// </summary>
    public static void Forward<T>(
        Matrix<T> x, Matrix<T> weights, ReadOnlySpan<T> bias, ConvGeometry g,
        Matrix<T> patches, Matrix<T> channelRows, Matrix<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(g);
        CheckWeights(weights, bias, g);
        Guard.Shape(x, -1, g.Input.Size, nameof(x));
        Guard.Shape(y, x.Rows, g.Output.Size, nameof(y));
        Im2Col.Unfold(x, g, patches);
        Gemm.Multiply(weights, patches, channelRows); // Y = W·X̃: every filter at every location
        if (!bias.IsEmpty)
        {
            var np = channelRows.Cols;
            for (var o = 0; o < channelRows.Rows; o++)
            {
                var row = channelRows.Data.AsSpan(o * np, np);
                for (var q = 0; q < np; q++) row[q] += bias[o];
            }
        }
        ChannelLayout.FromChannelRows(channelRows, y);
    }

    /// <summary>
    /// Given ∂ℓ/∂y (N x C_out·P) and the forward pass's <paramref name="patches"/>, writes ∂ℓ/∂W, ∂ℓ/∂b (if
    /// <paramref name="biasGrad"/> is not empty) and, if <paramref name="dx"/> is not null, ∂ℓ/∂x (through the
    /// scratch <paramref name="patchGrad"/>, K x N·P). <paramref name="channelRows"/> is C_out x N·P scratch.
    /// </summary>
    public static void Backward<T>(
        Matrix<T> dy, Matrix<T> patches, Matrix<T> weights, ConvGeometry g,
        Matrix<T> channelRows, Matrix<T> weightsGrad, Span<T> biasGrad, Matrix<T>? patchGrad, Matrix<T>? dx)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(g);
        CheckWeights(weights, ReadOnlySpan<T>.Empty, g);
        Guard.Shape(dy, -1, g.Output.Size, nameof(dy));
        Guard.Shape(weightsGrad, weights.Rows, weights.Cols, nameof(weightsGrad));
        if (!biasGrad.IsEmpty) Guard.Length<T>(biasGrad, g.Output.Channels, nameof(biasGrad), "output channels");
        ChannelLayout.ToChannelRows(dy, g.Output.Channels, channelRows);
        Gemm.MultiplyTransposeB(channelRows, patches, weightsGrad); // ∂ℓ/∂W = ∂ℓ/∂Y · X̃ᵀ
        if (!biasGrad.IsEmpty)
        {
            var np = channelRows.Cols;
            for (var o = 0; o < channelRows.Rows; o++)
            {
                var sum = T.Zero;
                foreach (var v in channelRows.Data.AsSpan(o * np, np)) sum += v;
                biasGrad[o] = sum;
            }
        }
        if (dx is null) return;
        ArgumentNullException.ThrowIfNull(patchGrad);
        Gemm.MultiplyTransposeA(weights, channelRows, patchGrad); // ∂ℓ/∂X̃ = Wᵀ·∂ℓ/∂Y
        Im2Col.Fold(patchGrad, g, dx);
    }

    private static void CheckWeights<T>(Matrix<T> weights, ReadOnlySpan<T> bias, ConvGeometry g) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Rows != g.Output.Channels || weights.Cols != g.PatchSize)
            throw new ArgumentException(
                $"Shape mismatch for 'weights': a {g} convolution needs C_out x C_in·k·k = {g.Output.Channels}x{g.PatchSize}, got {weights.Shape}.",
                nameof(weights));
        if (!bias.IsEmpty) Guard.Length(bias, g.Output.Channels, nameof(bias), "output channels");
    }
}
