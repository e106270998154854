using System.Numerics;
using BatchNormLab.Tensors;

namespace BatchNormLab.Layers;

/// <summary>
/// A reusable N x D buffer: reallocated only when the batch size changes, so a training loop allocates
/// nothing. It keeps the last two shapes, so training (batch 60, say) interleaved with evaluations
/// (batch 1,000) reuses both sets of buffers instead of reallocating them, and collecting the garbage,
/// at every evaluation.
/// </summary>
internal struct BufferCache<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private Matrix<T>? _buffer;
    private Matrix<T>? _previous;

    public Matrix<T> Get(int rows, int cols)
    {
        if (Fits(_buffer, rows, cols)) return _buffer!;
        (_buffer, _previous) = (Fits(_previous, rows, cols) ? _previous : new Matrix<T>(rows, cols), _buffer);
        return _buffer!;
    }

    private static bool Fits(Matrix<T>? m, int rows, int cols) => m is not null && m.Rows == rows && m.Cols == cols;
}
