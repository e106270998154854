using System.Numerics;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Tensors;

namespace BatchNormLab.Normalization;

/// <summary>
/// Santurkar et al. (2018)'s "noisy batch norm": placed right after a batch-norm layer, it moves the
/// distribution each unit hands to the next layer, differently at every step. In training mode every
/// forward pass draws, per unit j, a shift μ_j ~ U(−n_μ, n_μ) and a scale σ_j ~ U(1, n_σ), and computes
/// y_ij = σ_j x_ij + μ_j: the batch-normalised activations get a non-zero mean and a non-unit variance
/// that change every step. The gradient flows through the affine map (∂y_ij/∂x_ij = σ_j).
/// </summary>
/// <remarks>
/// Santurkar et al. perturb every activation of every example; here one draw per unit and step is shared
/// by the batch, which is what moves the distribution the next layer sees (their point) without adding
/// per-example noise. In inference mode the layer applies the noise's expectation, y = E[σ] x + E[μ] =
/// (1 + n_σ)/2 · x, as dropout does. Every draw comes from the <see cref="Random"/> given (seeded).
/// </remarks>
public sealed class BatchNormNoise<T> : ILayer<T>, IStochasticLayer where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Random _rng;
    private readonly T[] _shift, _scale;
    private BufferCache<T> _output;
    private BufferCache<T> _inputGrad;
    private Matrix<T>? _x;
    private bool _drawn;

    /// <summary>Creates the layer for <paramref name="features"/> units.</summary>
    /// <param name="name">Display name, e.g. "noise1".</param>
    /// <param name="features">Units per example.</param>
    /// <param name="meanNoise">n_μ: each step's shift is drawn from U(−n_μ, n_μ).</param>
    /// <param name="scaleNoise">n_σ ≥ 1: each step's scale is drawn from U(1, n_σ).</param>
    /// <param name="rng">The source of every draw.</param>
    public BatchNormNoise(string name, int features, double meanNoise, double scaleNoise, Random rng)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(rng);
        if (features <= 0) throw new ArgumentOutOfRangeException(nameof(features), features, "The noise layer needs at least one unit.");
        if (!(meanNoise >= 0) || !double.IsFinite(meanNoise)) throw new ArgumentOutOfRangeException(nameof(meanNoise), meanNoise, "n_μ must be finite and ≥ 0 (0 = no shift).");
        if (!(scaleNoise >= 1) || !double.IsFinite(scaleNoise)) throw new ArgumentOutOfRangeException(nameof(scaleNoise), scaleNoise, "n_σ must be finite and ≥ 1 (1 = no scaling).");
        Name = name;
        Features = features;
        MeanNoise = meanNoise;
        ScaleNoise = scaleNoise;
        _rng = rng;
        _shift = new T[features];
        _scale = new T[features];
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <inheritdoc/>
    public Mode Mode { get; set; }

    /// <summary>Units per example.</summary>
    public int Features { get; }

    /// <summary>n_μ, the half-width of the shift's range.</summary>
    public double MeanNoise { get; }

    /// <summary>n_σ, the upper end of the scale's range.</summary>
    public double ScaleNoise { get; }

    /// <inheritdoc/>
    public bool HoldNoise { get; set; }

    /// <summary>μ_j of the last training-mode draw.</summary>
    public ReadOnlySpan<T> Shift => _shift;

    /// <summary>σ_j of the last training-mode draw.</summary>
    public ReadOnlySpan<T> Scale => _scale;

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters => [];

    /// <inheritdoc/>
    public Matrix<T> Forward(Matrix<T> x)
    {
        Guard.Shape(x, -1, Features, Name, "input");
        _x = x;
        var y = _output.Get(x.Rows, Features);
        if (Mode == Mode.Inference)
        {
            var expected = T.CreateChecked((1 + ScaleNoise) / 2);
            for (var i = 0; i < x.Data.Length; i++) y.Data[i] = expected * x.Data[i];
            return y;
        }
        if (!HoldNoise || !_drawn) Draw();
        for (var i = 0; i < x.Rows; i++)
        {
            var xi = x.Row(i);
            var yi = y.Row(i);
            for (var j = 0; j < Features; j++) yi[j] = _scale[j] * xi[j] + _shift[j];
        }
        return y;
    }

    /// <inheritdoc/>
    public Matrix<T>? Backward(Matrix<T> dy)
    {
        var x = _x ?? throw new InvalidOperationException($"{Name}: Backward called before Forward.");
        Guard.Shape(dy, x.Rows, Features, Name, "output gradient");
        if (Mode != Mode.Training) throw new InvalidOperationException($"{Name}: Backward needs a training-mode forward pass.");
        var dx = _inputGrad.Get(x.Rows, Features);
        for (var i = 0; i < x.Rows; i++)
        {
            var d = dy.Row(i);
            var o = dx.Row(i);
            for (var j = 0; j < Features; j++) o[j] = _scale[j] * d[j];
        }
        return dx;
    }

    /// <summary>
    /// The model with a noise layer after each of its normalisation layers ("noise1", "noise2", …); the
    /// layers of <paramref name="model"/> are shared, not copied. Every draw comes from one generator seeded with <paramref name="seed"/>.
    /// </summary>
    public static Sequential<T> AfterEachNormalization(Sequential<T> model, double meanNoise, double scaleNoise, int seed)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (model.Normalizations.Count == 0)
            throw new ArgumentException("The model has no normalisation layer to put noise after; build it with batch norm (MlpOptions.WithBatchNorm()).", nameof(model));
        var rng = new Random(seed);
        var layers = new List<ILayer<T>>();
        var n = 0;
        foreach (var layer in model.Layers)
        {
            layers.Add(layer);
            if (layer is NormalizationLayer<T> norm) layers.Add(new BatchNormNoise<T>($"noise{++n}", norm.Features, meanNoise, scaleNoise, rng));
        }
        return new Sequential<T>(model.InputSize, model.OutputSize, layers) { Mode = model.Mode };
    }

    private void Draw()
    {
        for (var j = 0; j < Features; j++)
        {
            _shift[j] = T.CreateChecked(MeanNoise * (2 * _rng.NextDouble() - 1));
            _scale[j] = T.CreateChecked(1 + (ScaleNoise - 1) * _rng.NextDouble());
        }
        _drawn = true;
    }
}
