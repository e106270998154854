using System.Numerics;
using BatchNormLab.Layers;
using BatchNormLab.Tensors;

namespace BatchNormLab.Normalization;

/// <summary>
/// A dense layer u = x w + b with weight normalisation (Salimans &amp; Kingma 2016): w_j = g_j v_j/‖v_j‖ per output
/// unit, learning <see cref="V"/> (D_in x D_out), <see cref="G"/> (1 x D_out) and the bias. It normalises weights, not
/// activations, so it is not a <see cref="NormalizationLayer{T}"/>: no batch statistics, no running estimates, one
/// computation in both modes. As PyTorch's <c>weight_norm(Linear)</c> with <c>dim=0</c> on its (out x in) weight.
/// </summary>
public sealed class WeightNormDense<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Matrix<T> _w;
    private readonly Matrix<T> _dw;
    private readonly T[] _norms;
    private BufferCache<T> _output;
    private BufferCache<T> _inputGrad;
    private Matrix<T>? _x;

    /// <summary>Creates the layer from an initial direction <paramref name="v"/>; g starts at ‖v_j‖, so w = v at first.</summary>
    public WeightNormDense(string name, Matrix<T> v)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(v);
        Name = name;
        V = new Parameter<T>(name + ".v", v);
        _norms = new T[v.Cols];
        _w = new Matrix<T>(v.Rows, v.Cols);
        _dw = new Matrix<T>(v.Rows, v.Cols);
        var ones = new T[v.Cols];
        Array.Fill(ones, T.One);
        WeightNormMath.Weights(v, ones, _w, _norms);
        G = new Parameter<T>(name + ".g", Matrix<T>.RowVector(_norms));
        Bias = new Parameter<T>(name + ".bias", new Matrix<T>(1, v.Cols));
        Parameters = [V, G, Bias];
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public Mode Mode { get; set; }

    /// <summary>v, the learned directions (D_in x D_out).</summary>
    public Parameter<T> V { get; }

    /// <summary>g, the learned length of each unit's weight vector (1 x D_out).</summary>
    public Parameter<T> G { get; }

    /// <summary>b (1 x D_out).</summary>
    public Parameter<T> Bias { get; }

    /// <summary>The effective weights w = g v/‖v‖ of the last forward pass.</summary>
    public Matrix<T> Weights => _w;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <inheritdoc/>
    public Matrix<T> Forward(Matrix<T> x)
    {
        Guard.Shape(x, -1, V.Value.Rows, Name, "input");
        WeightNormMath.Weights(V.Value, G.Value.Data, _w, _norms);
        var u = _output.Get(x.Rows, V.Value.Cols);
        Gemm.Multiply(x, _w, u);
        for (var i = 0; i < u.Rows; i++) VectorMath.Add<T>(Bias.Value.Data, u.Row(i));
        _x = x;
        return u;
    }

    /// <inheritdoc/>
    public Matrix<T>? Backward(Matrix<T> dy)
    {
        var x = _x ?? throw new InvalidOperationException($"{Name}: Backward called before Forward.");
        Guard.Shape(dy, x.Rows, V.Value.Cols, Name, "output gradient");
        Gemm.MultiplyTransposeA(x, dy, _dw);
        WeightNormMath.Backward(_dw, V.Value, G.Value.Data, _norms, V.Grad, G.Grad.Data);
        VectorMath.SumRows<T>(dy.Data, dy.Cols, Bias.Grad.Data); // ∂ℓ/∂b = Σ_i ∂ℓ/∂u_i
        var dx = _inputGrad.Get(x.Rows, V.Value.Rows);
        Gemm.MultiplyTransposeB(dy, _w, dx);
        return dx;
    }
}
