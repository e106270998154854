using System.Numerics;
using BatchNormLab.Layers;
using BatchNormLab.Tensors;

namespace BatchNormLab.Activations;

/// <summary>A nonlinearity as a layer; its input is what the training probes record.</summary>
public sealed class ActivationLayer<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private BufferCache<T> _output;
    private BufferCache<T> _inputGrad;
    private Matrix<T>? _x;

    /// <summary>Creates the layer for <paramref name="function"/>.</summary>
    public ActivationLayer(string name, Activation function)
    {
        Name = name;
        Function = function;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Which nonlinearity.</summary>
    public Activation Function { get; }

    /// <inheritdoc/>
    public Mode Mode { get; set; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters => [];

    /// <summary>The input of the last forward pass (the nonlinearity's input), or null before any.</summary>
    public Matrix<T>? LastInput => _x;

    /// <inheritdoc/>
    public Matrix<T> Forward(Matrix<T> x)
    {
        _x = x;
        var y = _output.Get(x.Rows, x.Cols);
        ActivationMath.Forward(Function, x.Data, y.Data);
        return y;
    }

    /// <inheritdoc/>
    public Matrix<T>? Backward(Matrix<T> dy)
    {
        var x = _x ?? throw new InvalidOperationException($"{Name}: Backward called before Forward.");
        Guard.Shape(dy, x.Rows, x.Cols, Name, "output gradient");
        var dx = _inputGrad.Get(x.Rows, x.Cols);
        ActivationMath.Backward(Function, x.Data, _output.Get(x.Rows, x.Cols).Data, dy.Data, dx.Data);
        return dx;
    }
}
