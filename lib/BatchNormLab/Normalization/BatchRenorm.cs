using System.Numerics;
using BatchNormLab.Layers;
using BatchNormLab.Tensors;

namespace BatchNormLab.Normalization;

/// <summary>
/// Batch renormalisation layer (Ioffe 2017), per feature over the batch, learnable γ (<see cref="NormalizationLayer{T}.Gamma"/>,
/// init 1) and β (<see cref="NormalizationLayer{T}.Beta"/>, init 0). In <see cref="Mode.Training"/>:
/// x̂ = (x − μ_B)/σ_B · r + d with r = clip(σ_B/σ, 1/r_max, r_max), d = clip((μ_B − μ)/σ, −d_max, d_max)
/// from the moving averages μ (<see cref="RunningMean"/>) and σ (<see cref="RunningStd"/>), and r_max,
/// d_max from <see cref="Schedule"/> at the current <see cref="Step"/>; no gradient flows through r, d.
/// In <see cref="Mode.Inference"/>: y = γ (x − μ)/σ + β.
/// </summary>
/// <remarks>
/// Moving averages, the paper's form: μ ← μ + α(μ_B − μ), σ ← σ + α(σ_B − σ), with rate α
/// (<see cref="Rate"/>, 0.01 by default, i.e. Keras-style momentum 0.99) applied after r and d are
/// computed. σ averages σ_B = √(σ²_B + ε) directly (a standard deviation, not a variance, and no
/// m/(m − 1) correction), so inference divides by σ with no further ε. Initial μ = 0, σ = 1.
/// </remarks>
public sealed class BatchRenorm<T> : NormalizationLayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private BufferCache<T> _xHat;
    private readonly T[] _mean, _std, _r, _d;

    /// <summary>Creates a layer over <paramref name="features"/> features.</summary>
    /// <param name="name">Display name.</param>
    /// <param name="features">D, the number of features normalised.</param>
    /// <param name="schedule">r_max and d_max over training steps; null = <see cref="BatchRenormSchedule.Paper"/>.</param>
    /// <param name="rate">α, the moving-average rate (the paper's 0.01).</param>
    /// <param name="eps">ε added to σ²_B (1e-5).</param>
    public BatchRenorm(string name, int features, BatchRenormSchedule? schedule = null, double rate = 0.01, double eps = 1e-5)
        : base(name, features, eps, minFeatures: 1, "Batch renorm")
    {
        if (!(rate > 0 && rate <= 1)) throw new ArgumentOutOfRangeException(nameof(rate), rate, "The moving-average rate must be in (0, 1].");
        Schedule = (schedule ?? BatchRenormSchedule.Paper).Validated();
        Rate = rate;
        RunningMean = new T[features];
        RunningStd = new T[features];
        Array.Fill(RunningStd, T.One);
        _mean = new T[features];
        _std = new T[features];
        _r = new T[features];
        _d = new T[features];
    }

    /// <summary>r_max and d_max as functions of <see cref="Step"/>.</summary>
    public BatchRenormSchedule Schedule { get; }

    /// <summary>α, the moving-average rate: μ ← μ + α(μ_B − μ), σ ← σ + α(σ_B − σ).</summary>
    public double Rate { get; }

    /// <summary>μ, the moving average of μ_B (used for d in training and for inference).</summary>
    public T[] RunningMean { get; }

    /// <summary>σ, the moving average of σ_B = √(σ²_B + ε) (used for r and d in training and for inference).</summary>
    public T[] RunningStd { get; }

    /// <summary>Training-mode batches seen so far: the schedule's step.</summary>
    public long Step { get; set; }

    /// <summary>r_max the next training batch will use.</summary>
    public double RMax => Schedule.RMax(Step);

    /// <summary>d_max the next training batch will use.</summary>
    public double DMax => Schedule.DMax(Step);

    /// <summary>r of the last training forward pass.</summary>
    public ReadOnlySpan<T> R => _r;

    /// <summary>d of the last training forward pass.</summary>
    public ReadOnlySpan<T> D => _d;

    /// <summary>μ_B of the last training forward pass.</summary>
    public ReadOnlySpan<T> BatchMean => _mean;

    /// <summary>σ_B = √(σ²_B + ε) of the last training forward pass.</summary>
    public ReadOnlySpan<T> BatchStd => _std;

    /// <inheritdoc/>
    protected override IReadOnlyList<T[]> RunningBuffers => [RunningMean, RunningStd];

    /// <inheritdoc/>
    protected override long RunningCount { get => Step; set => Step = value; }


    /// <summary>μ = the mean; σ = √(biased variance + ε), the form the moving average keeps. The step is left as it is.</summary>
    protected override void StorePopulationStatistics(ReadOnlySpan<double> mean, ReadOnlySpan<double> biasedVariance, long count)
    {
        var eps = double.CreateChecked(Eps);
        for (var j = 0; j < Features; j++)
        {
            RunningMean[j] = T.CreateChecked(mean[j]);
            RunningStd[j] = T.CreateChecked(Math.Sqrt(biasedVariance[j] + eps));
        }
    }

    /// <inheritdoc/>
    protected override void ForwardCore(Matrix<T> x, Matrix<T> y, Mode mode)
    {
        if (mode == Mode.Inference)
        {
            BatchRenormMath.ForwardInference(x, Gamma.Value.Data, Beta.Value.Data, RunningMean, RunningStd, y);
            return;
        }
        if (x.Rows < 2) throw SingleExampleError(x, "batch renorm", "with one example x − μ_B is 0 and no gradient reaches x");
        BatchRenormMath.ForwardTraining(x, Gamma.Value.Data, Beta.Value.Data, RunningMean, RunningStd,
            T.CreateChecked(RMax), T.CreateChecked(DMax), Eps, y, _xHat.Get(x.Rows, Features), _mean, _std, _r, _d);
        var alpha = T.CreateChecked(Rate);
        for (var j = 0; j < Features; j++)
        {
            RunningMean[j] += alpha * (_mean[j] - RunningMean[j]);
            RunningStd[j] += alpha * (_std[j] - RunningStd[j]);
        }
        Step++;
    }

    /// <inheritdoc/>
    protected override void BackwardCore(Matrix<T> dy, Matrix<T> x, Matrix<T> dx) =>
        BatchRenormMath.Backward(dy, _xHat.Get(x.Rows, Features), Gamma.Value.Data, _std, _r, _d, dx, Gamma.Grad.Data, Beta.Grad.Data);
}
