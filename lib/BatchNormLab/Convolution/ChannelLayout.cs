using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BatchNormLab.Tensors;

namespace BatchNormLab.Convolution;

/// <summary>
/// Rearrangements of a batch between the library's layout, N rows of C·P values (NCHW per row, P = H·W
/// locations), and the two layouts where a per-channel computation is one plain matrix operation:
/// channel rows, C x (N·P) (the output of W·patches in <see cref="ConvolutionMath"/>), and channel columns,
/// (N·P) x C (every location of every image an example of C features: spatial batch norm is batch norm on it).
/// Pure copies; the value (n, c, p) keeps its place in each layout's index order.
/// </summary>
public static class ChannelLayout
{
    /// <summary>channelRows[c, n·P + p] = x[n, c·P + p]. <paramref name="x"/> is N x C·P, the result C x N·P.</summary>
    public static void ToChannelRows<T>(Matrix<T> x, int channels, Matrix<T> channelRows) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (n, p) = Sizes(x, channels, nameof(x));
        Guard.Shape(channelRows, channels, n * p, nameof(channelRows));
        for (var i = 0; i < n; i++)
            for (var c = 0; c < channels; c++)
                x.Data.AsSpan(i * channels * p + c * p, p).CopyTo(channelRows.Data.AsSpan(c * n * p + i * p, p));
    }

    /// <summary>The inverse of <see cref="ToChannelRows{T}"/>: x[n, c·P + p] = channelRows[c, n·P + p].</summary>
    public static void FromChannelRows<T>(Matrix<T> channelRows, Matrix<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var channels = channelRows.Rows;
        var (n, p) = Sizes(x, channels, nameof(x));
        Guard.Shape(channelRows, channels, n * p, nameof(channelRows));
        for (var i = 0; i < n; i++)
            for (var c = 0; c < channels; c++)
                channelRows.Data.AsSpan(c * n * p + i * p, p).CopyTo(x.Data.AsSpan(i * channels * p + c * p, p));
    }

    /// <summary>channelColumns[n·P + p, c] = x[n, c·P + p]. <paramref name="x"/> is N x C·P, the result N·P x C.</summary>
    public static void ToChannelColumns<T>(Matrix<T> x, int channels, Matrix<T> channelColumns) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var (n, p) = Sizes(x, channels, nameof(x));
        Guard.Shape(channelColumns, n * p, channels, nameof(channelColumns));
        for (var i = 0; i < n; i++) Transpose<T>(x.Data.AsSpan(i * channels * p, channels * p), channels, p, channelColumns.Data.AsSpan(i * p * channels, p * channels));
    }

    /// <summary>The inverse of <see cref="ToChannelColumns{T}"/>: x[n, c·P + p] = channelColumns[n·P + p, c].</summary>
    public static void FromChannelColumns<T>(Matrix<T> channelColumns, Matrix<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var channels = channelColumns.Cols;
        var (n, p) = Sizes(x, channels, nameof(x));
        Guard.Shape(channelColumns, n * p, channels, nameof(channelColumns));
        for (var i = 0; i < n; i++) Transpose<T>(channelColumns.Data.AsSpan(i * p * channels, p * channels), p, channels, x.Data.AsSpan(i * channels * p, channels * p));
    }

    // dst (cols x rows) = srcᵀ (rows x cols), in 8 x 8 tiles so that reads and writes both stay within a few cache lines.
    private static void Transpose<T>(ReadOnlySpan<T> src, int rows, int cols, Span<T> dst) where T : unmanaged
    {
        const int B = 8;
        ref var s = ref MemoryMarshal.GetReference(src);
        ref var d = ref MemoryMarshal.GetReference(dst);
        for (var r0 = 0; r0 < rows; r0 += B)
        {
            var r1 = Math.Min(rows, r0 + B);
            for (var c0 = 0; c0 < cols; c0 += B)
            {
                var c1 = Math.Min(cols, c0 + B);
                for (var r = r0; r < r1; r++)
                    for (var c = c0; c < c1; c++)
                        Unsafe.Add(ref d, c * rows + r) = Unsafe.Add(ref s, r * cols + c);
            }
        }
    }

    private static (int N, int P) Sizes<T>(Matrix<T> x, int channels, string name) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(x, name);
        if (channels <= 0 || x.Cols % channels != 0)
            throw new ArgumentException(
                $"Shape mismatch for '{name}': {x.Shape} rows of {x.Cols} values cannot hold {channels} channels of equal size (NCHW per row).", name);
        return (x.Rows, x.Cols / channels);
    }
}
