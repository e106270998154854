using System.Numerics;
using BatchNormLab.Convolution;
using BatchNormLab.Layers;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;

namespace BatchNormLab.Tests.Convolution;

/// <summary>
/// Spatial batch norm the way notebook 06 explains it, and the way <see cref="BatchNorm2d{T}"/> used to compute
/// it: rearrange the N x C·H·W batch into (N·H·W) x C (<see cref="ChannelLayout.ToChannelColumns{T}"/>), run the
/// dense <see cref="BatchNorm{T}"/> on it, rearrange back. The reference the NCHW layer is held equal to.
/// </summary>
internal sealed class ReshapedBatchNorm2d<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly ImageShape _shape;
    private int _lastRows = -1;

    public ReshapedBatchNorm2d(ImageShape shape, double? momentum)
    {
        _shape = shape;
        PerChannel = new BatchNorm<T>("reference", shape.Channels, momentum: momentum);
    }

    /// <summary>The dense batch norm over C features that does all the work.</summary>
    public BatchNorm<T> PerChannel { get; }

    public Matrix<T> Forward(Matrix<T> x)
    {
        var columns = new Matrix<T>(x.Rows * _shape.Locations, _shape.Channels);
        ChannelLayout.ToChannelColumns(x, _shape.Channels, columns);
        var y = new Matrix<T>(x.Rows, _shape.Size);
        ChannelLayout.FromChannelColumns(PerChannel.Forward(columns), y);
        _lastRows = x.Rows;
        return y;
    }

    public Matrix<T> Backward(Matrix<T> dy)
    {
        var columns = new Matrix<T>(_lastRows * _shape.Locations, _shape.Channels);
        ChannelLayout.ToChannelColumns(dy, _shape.Channels, columns);
        var dx = new Matrix<T>(_lastRows, _shape.Size);
        ChannelLayout.FromChannelColumns(PerChannel.Backward(columns)!, dx);
        return dx;
    }
}
