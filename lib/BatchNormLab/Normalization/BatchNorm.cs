using System.Numerics;
using BatchNormLab.Layers;
using BatchNormLab.Tensors;

namespace BatchNormLab.Normalization;

/// <summary>
/// Batch normalisation layer (Ioffe &amp; Szegedy 2015) with PyTorch <c>BatchNorm1d</c> semantics:
/// per feature over the batch, learnable γ (<see cref="NormalizationLayer{T}.Gamma"/>, init 1) and β (<see cref="NormalizationLayer{T}.Beta"/>, init 0).
/// In <see cref="Mode.Training"/> it normalises with the batch's μ_B and biased σ²_B and updates
/// the running estimates; in <see cref="Mode.Inference"/> it uses them (Algorithm 2). Backward works after either
/// forward pass: through the batch statistics after a training-mode one, through the fixed affine map after an
/// inference-mode one (fine-tuning with frozen statistics).
/// </summary>
/// <remarks>
/// Running estimates, PyTorch's convention: with momentum α (default 0.1, the weight of the new value),
/// running_mean ← (1 − α) running_mean + α μ_B and running_var ← (1 − α) running_var + α σ²_B · m/(m − 1),
/// i.e. the variance is stored unbiased while the batch is normalised with the biased one.
/// Keras/TensorFlow call 1 − α the momentum (0.99 there ≈ 0.01 here). With momentum null the
/// estimates are the plain average over all batches seen so far (the paper's E[x] and Var[x]).
/// </remarks>
public sealed class BatchNorm<T> : NormalizationLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private BufferCache<T> _xHat;
    private readonly T[] _mean, _variance, _invStd;

    /// <summary>Creates a layer over <paramref name="features"/> features.</summary>
    /// <param name="name">Display name.</param>
    /// <param name="features">D, the number of features normalised.</param>
    /// <param name="eps">ε added to the variance (PyTorch 1e-5; Keras 1e-3).</param>
    /// <param name="momentum">α, the weight of the new batch in the running estimates (PyTorch 0.1); null = cumulative average.</param>
    public BatchNorm(string name, int features, double eps = 1e-5, double? momentum = 0.1)
        : base(name, features, eps, minFeatures: 1, "Batch norm")
    {
        if (momentum is { } a && !(a > 0 && a <= 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in (0, 1].");
        Momentum = momentum;
        RunningMean = new T[features];
        RunningVariance = new T[features];
        Array.Fill(RunningVariance, T.One);
        _mean = new T[features];
        _variance = new T[features];
        _invStd = new T[features];
    }

    /// <summary>α, weight of the newest batch in the running estimates (PyTorch convention); null = cumulative average.</summary>
    public double? Momentum { get; }

    /// <summary>Which backward computation runs; both give the same gradients.</summary>
    public BatchNormBackward BackwardForm { get; set; } = BatchNormBackward.ClosedForm;

    /// <summary>E[x], the running estimate of each feature's mean used in inference mode.</summary>
    public T[] RunningMean { get; }

    /// <summary>Var[x], the running estimate of each feature's (unbiased) variance used in inference mode.</summary>
    public T[] RunningVariance { get; }

    /// <summary>Number of training-mode batches folded into the running estimates.</summary>
    public long BatchesTracked { get; private set; }

    /// <summary>μ_B of the last training forward pass.</summary>
    public ReadOnlySpan<T> BatchMean => _mean;

    /// <summary>σ²_B (biased) of the last training forward pass.</summary>
    public ReadOnlySpan<T> BatchVariance => _variance;

    /// <inheritdoc/>
    protected override IReadOnlyList<T[]> RunningBuffers => [RunningMean, RunningVariance];

    /// <inheritdoc/>
    protected override long RunningCount { get => BatchesTracked; set => BatchesTracked = value; }


    /// <summary>E[x] = the mean; Var[x] = n/(n − 1) · the biased variance (stored unbiased, as in Algorithm 2).</summary>
    protected override void StorePopulationStatistics(ReadOnlySpan<double> mean, ReadOnlySpan<double> biasedVariance, long count)
    {
        for (var j = 0; j < Features; j++)
        {
            RunningMean[j] = T.CreateChecked(mean[j]);
            RunningVariance[j] = T.CreateChecked(biasedVariance[j] * count / (count - 1));
        }
    }

    /// <inheritdoc/>
    protected override void ForwardCore(Matrix<T> x, Matrix<T> y, Mode mode)
    {
        if (mode == Mode.Inference)
        {
            BatchNormMath.ForwardInference(x, Gamma.Value.Data, Beta.Value.Data, RunningMean, RunningVariance, Eps, y);
            return;
        }
        if (x.Rows < 2) throw SingleExampleError(x, "batch norm", "with one example every normalised value is 0");
        BatchNormMath.ForwardTraining(x, Gamma.Value.Data, Beta.Value.Data, Eps, y, _xHat.Get(x.Rows, Features), _mean, _variance, _invStd);
        UpdateRunningStatistics(x.Rows);
    }

    /// <summary>
    /// False: after an inference-mode forward pass the layer is an affine map per feature and has a gradient too
    /// (<see cref="BatchNormMath.BackwardInference"/>); that is how a network is fine-tuned with frozen statistics.
    /// </summary>
    protected override bool NeedsTrainingForward => false;

    /// <inheritdoc/>
    protected override void BackwardCore(Matrix<T> dy, Matrix<T> x, Matrix<T> dx)
    {
        if (LastForwardMode == Mode.Inference)
            BatchNormMath.BackwardInference(dy, x, Gamma.Value.Data, RunningMean, RunningVariance, Eps, dx, Gamma.Grad.Data, Beta.Grad.Data);
        else if (BackwardForm == BatchNormBackward.Graph)
            BatchNormMath.BackwardGraph(dy, x, Gamma.Value.Data, _mean, _variance, Eps, dx, Gamma.Grad.Data, Beta.Grad.Data);
        else
            BatchNormMath.BackwardClosedForm(dy, _xHat.Get(x.Rows, Features), Gamma.Value.Data, _invStd, dx, Gamma.Grad.Data, Beta.Grad.Data);
    }

    /// <summary>
    /// Takes μ_B and σ²_B (biased) of a training batch of m values per feature computed elsewhere, as if this
    /// layer's own training forward pass had computed them: they become <see cref="BatchMean"/> and
    /// <see cref="BatchVariance"/>, and the running estimates are updated. Used by <c>BatchNorm2d</c>, whose
    /// per-channel kernels work on the NCHW layout directly.
    /// </summary>
    internal void RecordBatch(ReadOnlySpan<T> mean, ReadOnlySpan<T> biasedVariance, int m)
    {
        mean.CopyTo(_mean);
        biasedVariance.CopyTo(_variance);
        UpdateRunningStatistics(m);
    }

    private void UpdateRunningStatistics(int m)
    {
        BatchesTracked++;
        // Cumulative average: the k-th batch gets weight 1/k.
        var alpha = T.CreateChecked(Momentum ?? 1.0 / BatchesTracked);
        var keep = T.One - alpha;
        var unbias = T.CreateChecked(m) / T.CreateChecked(m - 1);
        for (var j = 0; j < Features; j++)
        {
            RunningMean[j] = keep * RunningMean[j] + alpha * _mean[j];
            RunningVariance[j] = keep * RunningVariance[j] + alpha * _variance[j] * unbias;
        }
    }
}
