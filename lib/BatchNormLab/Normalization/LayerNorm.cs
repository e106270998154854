using System.Numerics;
using BatchNormLab.Layers;
using BatchNormLab.Tensors;

namespace BatchNormLab.Normalization;

/// <summary>
/// Layer normalisation layer (Ba, Kiros &amp; Hinton 2016): each example normalised over its own D features,
/// then y = γ x̂ + β with learnable γ (<see cref="NormalizationLayer{T}.Gamma"/>, init 1) and β (<see cref="NormalizationLayer{T}.Beta"/>, init 0) per
/// feature, as PyTorch's <c>LayerNorm(D)</c>. No running statistics: <see cref="Mode"/> changes nothing,
/// one example's output never depends on its batch, and batch size 1 is fine.
/// </summary>
public sealed class LayerNorm<T> : NormalizationLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private BufferCache<T> _xHat;
    private T[] _mean = [], _invStd = [];

    /// <summary>Creates a layer over <paramref name="features"/> features (at least 2).</summary>
    /// <param name="name">Display name.</param>
    /// <param name="features">D, the number of features each example is normalised over.</param>
    /// <param name="eps">ε added to the variance (1e-5).</param>
    public LayerNorm(string name, int features, double eps = 1e-5)
        : base(name, features, eps, minFeatures: 2, "Layer norm")
    {
    }

    /// <summary>μ of each example (row) of the last forward pass.</summary>
    public ReadOnlySpan<T> ExampleMean => _mean;

    /// <summary>The same computation in both modes, so backward follows an inference-mode forward too.</summary>
    protected override bool NeedsTrainingForward => false;

    /// <inheritdoc/>
    protected override void ForwardCore(Matrix<T> x, Matrix<T> y, Mode mode)
    {
        if (_mean.Length != x.Rows)
        {
            _mean = new T[x.Rows];
            _invStd = new T[x.Rows];
        }
        LayerNormMath.Forward(x, Gamma.Value.Data, Beta.Value.Data, Eps, y, _xHat.Get(x.Rows, Features), _mean, _invStd);
    }

    /// <inheritdoc/>
    protected override void BackwardCore(Matrix<T> dy, Matrix<T> x, Matrix<T> dx) =>
        LayerNormMath.Backward(dy, _xHat.Get(x.Rows, Features), Gamma.Value.Data, _invStd, dx, Gamma.Grad.Data, Beta.Grad.Data);
}
