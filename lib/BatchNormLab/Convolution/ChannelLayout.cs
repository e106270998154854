using System.Numerics;
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
        var src = x.Data;
        var dst = channelColumns.Data;
        for (var i = 0; i < n; i++)
        {
            var rowBase = i * channels * p;
            var outBase = i * p * channels;
            for (var c = 0; c < channels; c++)
            {
                var s = rowBase + c * p;
                for (var q = 0; q < p; q++) dst[outBase + q * channels + c] = src[s + q];
            }
        }
    }

    /// <summary>The inverse of <see cref="ToChannelColumns{T}"/>: x[n, c·P + p] = channelColumns[n·P + p, c].</summary>
    public static void FromChannelColumns<T>(Matrix<T> channelColumns, Matrix<T> x) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var channels = channelColumns.Cols;
        var (n, p) = Sizes(x, channels, nameof(x));
        Guard.Shape(channelColumns, n * p, channels, nameof(channelColumns));
        var src = channelColumns.Data;
        var dst = x.Data;
        for (var i = 0; i < n; i++)
        {
            var rowBase = i * channels * p;
            var inBase = i * p * channels;
            for (var c = 0; c < channels; c++)
            {
                var d = rowBase + c * p;
                for (var q = 0; q < p; q++) dst[d + q] = src[inBase + q * channels + c];
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
