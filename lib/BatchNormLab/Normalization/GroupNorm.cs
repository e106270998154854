using System.Numerics;
using BatchNormLab.Layers;
using BatchNormLab.Tensors;

namespace BatchNormLab.Normalization;

/// <summary>
/// Group normalisation layer (Wu &amp; He 2018), as PyTorch's <c>GroupNorm(G, D)</c> on N x D input: each example's
/// features in G groups, each group normalised with its own statistics, then γ, β per feature. No running
/// statistics, no batch dependence: <see cref="Mode"/> changes nothing and a batch of one is fine.
/// </summary>
public sealed class GroupNorm<T> : NormalizationLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private BufferCache<T> _xHat;
    private T[] _mean = [], _invStd = [];

    /// <summary>Creates a layer over <paramref name="features"/> features in <paramref name="groups"/> groups.</summary>
    /// <param name="name">Display name.</param>
    /// <param name="features">D.</param>
    /// <param name="groups">G; must divide D into groups of at least 2 (the paper's default is 32).</param>
    /// <param name="eps">ε added to each group's variance (1e-5).</param>
    public GroupNorm(string name, int features, int groups, double eps = 1e-5)
        : base(name, features, eps, minFeatures: 2, "Group norm")
    {
        GroupNormMath.CheckGroups(features, groups);
        Groups = groups;
    }

    /// <summary>G, the number of groups.</summary>
    public int Groups { get; }

    /// <summary>The same computation in both modes, so backward follows an inference-mode forward too.</summary>
    protected override bool NeedsTrainingForward => false;

    /// <inheritdoc/>
    protected override void ForwardCore(Matrix<T> x, Matrix<T> y, Mode mode)
    {
        if (_mean.Length != x.Rows * Groups)
        {
            _mean = new T[x.Rows * Groups];
            _invStd = new T[x.Rows * Groups];
        }
        GroupNormMath.Forward(x, Groups, Gamma.Value.Data, Beta.Value.Data, Eps, y, _xHat.Get(x.Rows, Features), _mean, _invStd);
    }

    /// <inheritdoc/>
    protected override void BackwardCore(Matrix<T> dy, Matrix<T> x, Matrix<T> dx) =>
        GroupNormMath.Backward(dy, _xHat.Get(x.Rows, Features), Groups, Gamma.Value.Data, _invStd, dx, Gamma.Grad.Data, Beta.Grad.Data);
}
