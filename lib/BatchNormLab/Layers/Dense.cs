using System.Numerics;
using BatchNormLab.Tensors;

namespace BatchNormLab.Layers;

/// <summary>
/// Fully connected layer u = x W + b, with W of shape in x out. The bias is optional: when batch norm
/// follows, β takes its role and a bias would be cancelled by the mean subtraction.
/// </summary>
public sealed class Dense<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private BufferCache<T> _output;
    private BufferCache<T> _inputGrad;
    private Matrix<T>? _x;

    /// <summary>Creates a layer with the given weights (in x out) and, if <paramref name="bias"/> is true, a zero bias.</summary>
    public Dense(string name, Matrix<T> weights, bool bias)
    {
        Name = name;
        Weights = new Parameter<T>(name + ".W", weights);
        Bias = bias ? new Parameter<T>(name + ".b", new Matrix<T>(1, weights.Cols)) : null;
        Parameters = Bias is null ? [Weights] : [Weights, Bias];
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public Mode Mode { get; set; }

    /// <summary>W, in x out.</summary>
    public Parameter<T> Weights { get; }

    /// <summary>b, 1 x out, or null when the layer has no bias.</summary>
    public Parameter<T>? Bias { get; }

    /// <summary>Number of inputs.</summary>
    public int InputSize => Weights.Value.Rows;

    /// <summary>Number of outputs.</summary>
    public int OutputSize => Weights.Value.Cols;

    /// <summary>
    /// Whether <see cref="Backward"/> computes ∂ℓ/∂x. The first layer of a network does not need it,
    /// and skipping it saves a third of that layer's backward work.
    /// </summary>
    public bool ComputeInputGradient { get; set; } = true;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <inheritdoc/>
    public Matrix<T> Forward(Matrix<T> x)
    {
        Guard.Shape(x, -1, InputSize, Name, "input");
        _x = x;
        var u = _output.Get(x.Rows, OutputSize);
        Gemm.Multiply(x, Weights.Value, u);
        if (Bias is not null)
        {
            for (var i = 0; i < u.Rows; i++) VectorMath.Add<T>(Bias.Value.Data, u.Row(i));
        }
        return u;
    }

    /// <inheritdoc/>
    public Matrix<T>? Backward(Matrix<T> dy)
    {
        var x = _x ?? throw new InvalidOperationException($"{Name}: Backward called before Forward.");
        Guard.Shape(dy, x.Rows, OutputSize, Name, "output gradient");
        Gemm.MultiplyTransposeA(x, dy, Weights.Grad);
        if (Bias is not null)
        {
            VectorMath.SumRows<T>(dy.Data, dy.Cols, Bias.Grad.Data); // ∂ℓ/∂b = Σ_i ∂ℓ/∂u_i
        }
        if (!ComputeInputGradient) return null;
        var dx = _inputGrad.Get(x.Rows, InputSize);
        Gemm.MultiplyTransposeB(dy, Weights.Value, dx);
        return dx;
    }
}
