using System.Numerics;
using BatchNormLab.Layers;
using BatchNormLab.Tensors;

namespace BatchNormLab.Normalization;

/// <summary>
/// Layer normalisation layer (Ba, Kiros &amp; Hinton 2016): each example normalised over its own D features,
/// then y = γ x̂ + β with learnable γ (<see cref="Gamma"/>, init 1) and β (<see cref="Beta"/>, init 0) per
/// feature, as PyTorch's <c>LayerNorm(D)</c>. No running statistics: <see cref="Mode"/> changes nothing,
/// one example's output never depends on its batch, and batch size 1 is fine.
/// </summary>
public sealed class LayerNorm<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private BufferCache<T> _output;
    private BufferCache<T> _xHat;
    private BufferCache<T> _inputGrad;
    private Matrix<T>? _x;
    private T[] _mean = [], _invStd = [];

    /// <summary>Creates a layer over <paramref name="features"/> features.</summary>
    /// <param name="name">Display name.</param>
    /// <param name="features">D, the number of features each example is normalised over (at least 2).</param>
    /// <param name="eps">ε added to each example's variance (PyTorch 1e-5).</param>
    public LayerNorm(string name, int features, double eps = 1e-5)
    {
        if (features < 2)
            throw new ArgumentOutOfRangeException(nameof(features), features, "Layer norm needs at least 2 features (with one, every normalised value is 0).");
        if (!(eps > 0)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "ε must be positive.");
        Name = name;
        Features = features;
        Eps = T.CreateChecked(eps);
        Gamma = new Parameter<T>(name + ".gamma", Matrix<T>.Filled(1, features, T.One));
        Beta = new Parameter<T>(name + ".beta", new Matrix<T>(1, features));
        Parameters = [Gamma, Beta];
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public Mode Mode { get; set; }

    /// <summary>D, the number of features.</summary>
    public int Features { get; }

    /// <summary>ε, added to each example's variance before the square root.</summary>
    public T Eps { get; }

    /// <summary>γ, the learned scale per feature (1 x D).</summary>
    public Parameter<T> Gamma { get; }

    /// <summary>β, the learned shift per feature (1 x D).</summary>
    public Parameter<T> Beta { get; }

    /// <summary>μ_i of each example in the last forward pass.</summary>
    public ReadOnlySpan<T> ExampleMean => _mean;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <inheritdoc/>
    public Matrix<T> Forward(Matrix<T> x)
    {
        Guard.Shape(x, -1, Features, Name, "input");
        Guard.Finite(x, Name, "input");
        _x = x;
        if (_mean.Length != x.Rows)
        {
            _mean = new T[x.Rows];
            _invStd = new T[x.Rows];
        }
        var y = _output.Get(x.Rows, Features);
        LayerNormMath.Forward(x, Gamma.Value.Data, Beta.Value.Data, Eps, y, _xHat.Get(x.Rows, Features), _mean, _invStd);
        return y;
    }

    /// <inheritdoc/>
    public Matrix<T>? Backward(Matrix<T> dy)
    {
        var x = _x ?? throw new InvalidOperationException($"{Name}: Backward called before Forward.");
        Guard.Shape(dy, x.Rows, Features, Name, "output gradient");
        var dx = _inputGrad.Get(x.Rows, Features);
        LayerNormMath.Backward(dy, _xHat.Get(x.Rows, Features), Gamma.Value.Data, _invStd, dx, Gamma.Grad.Data, Beta.Grad.Data);
        return dx;
    }
}
