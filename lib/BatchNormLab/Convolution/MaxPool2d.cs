using System.Numerics;
using BatchNormLab.Layers;
using BatchNormLab.Tensors;

namespace BatchNormLab.Convolution;

/// <summary>
/// Max pooling layer, PyTorch's <c>MaxPool2d</c> (square window, stride defaulting to the window size):
/// N x C·H·W in, N x C·H'·W' out, NCHW per row. No parameters; the math is <see cref="MaxPoolMath"/>.
/// </summary>
public sealed class MaxPool2d<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private BufferCache<T> _output;
    private BufferCache<T> _inputGrad;
    private int[] _argmax = [];
    private int[] _argmaxPrevious = [];
    private int _lastRows = -1;

    /// <summary>Pools a C x H x W input with a <paramref name="kernel"/> x <paramref name="kernel"/> window (stride = kernel unless given).</summary>
    public MaxPool2d(string name, ImageShape input, int kernel, int? stride = null, int padding = 0)
    {
        Name = name;
        InputShape = input;
        Window = new Window(kernel, stride ?? kernel, padding);
        OutputShape = MaxPoolMath.OutputShape(input, Window, name);
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public Mode Mode { get; set; }

    /// <summary>C x H x W.</summary>
    public ImageShape InputShape { get; }

    /// <summary>C x H' x W'.</summary>
    public ImageShape OutputShape { get; }

    /// <summary>Window size, stride and padding.</summary>
    public Window Window { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters => [];

    /// <inheritdoc/>
    public Matrix<T> Forward(Matrix<T> x)
    {
        Guard.Shape(x, -1, InputShape.Size, Name, "input");
        var y = _output.Get(x.Rows, OutputShape.Size);
        // Two arrays, like BufferCache: training and evaluation batch sizes alternate without reallocating.
        if (_argmax.Length != y.Data.Length)
            (_argmax, _argmaxPrevious) = (_argmaxPrevious.Length == y.Data.Length ? _argmaxPrevious : new int[y.Data.Length], _argmax);
        MaxPoolMath.Forward(x, InputShape, Window, y, _argmax);
        _lastRows = x.Rows;
        return y;
    }

    /// <inheritdoc/>
    public Matrix<T>? Backward(Matrix<T> dy)
    {
        if (_lastRows < 0) throw new InvalidOperationException($"{Name}: Backward called before Forward.");
        Guard.Shape(dy, _lastRows, OutputShape.Size, Name, "output gradient");
        var dx = _inputGrad.Get(_lastRows, InputShape.Size);
        MaxPoolMath.Backward(dy, _argmax, dx);
        return dx;
    }
}
