using System.Numerics;
using BatchNormLab.Tensors;

namespace BatchNormLab.Layers;

/// <summary>A reusable N x D buffer: reallocated only when the batch size changes, so a training loop allocates nothing.</summary>
internal struct BufferCache<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Matrix<T>? _buffer;

    public Matrix<T> Get(int rows, int cols)
    {
        if (_buffer is null || _buffer.Rows != rows || _buffer.Cols != cols) _buffer = new Matrix<T>(rows, cols);
        return _buffer;
    }
}
