using System.Numerics;
using BatchNormLab.Layers;
using BatchNormLab.Tensors;

namespace BatchNormLab.Normalization;

/// <summary>
/// What every normalisation layer shares (batch norm, batch renorm, layer norm): D features, the
/// learnable scale γ (<see cref="Gamma"/>, init 1) and shift β (<see cref="Beta"/>, init 0), ε, the
/// mode, the input checks and the output buffers; and, for the layers that keep them, the running
/// estimates used in inference mode: a snapshot to undo a training-mode evaluation, and population
/// statistics set from outside (the paper's Algorithm 2, or PyTorch's <c>update_bn</c>).
/// </summary>
/// <remarks>
/// A subclass supplies the math (<see cref="ForwardCore"/>, <see cref="BackwardCore"/>) and, if it
/// has running estimates, <see cref="RunningBuffers"/>, <see cref="RunningCount"/> and
/// <see cref="SetPopulationStatistics"/>. Input is N x D, one example per row.
/// </remarks>
public abstract class NormalizationLayer<T> : ILayer<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private BufferCache<T> _output;
    private BufferCache<T> _inputGrad;
    private Matrix<T>? _x;
    private Mode _lastForwardMode;

    /// <summary>Checks the arguments every normalisation layer takes and creates γ = 1, β = 0.</summary>
    /// <param name="name">Display name; the parameters are named name.gamma and name.beta.</param>
    /// <param name="features">D, the number of features.</param>
    /// <param name="eps">ε, added to a variance before the square root.</param>
    /// <param name="minFeatures">The fewest features the method can normalise (layer norm needs 2).</param>
    /// <param name="method">The method's name for error messages, e.g. "Batch norm".</param>
    protected NormalizationLayer(string name, int features, double eps, int minFeatures, string method)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (features < minFeatures)
            throw new ArgumentOutOfRangeException(nameof(features), features,
                $"{method} needs at least {minFeatures} feature{(minFeatures == 1 ? "" : "s")}" +
                (minFeatures > 1 ? " (with one, every normalised value is 0)." : "."));
        if (!(eps > 0) || double.IsInfinity(eps)) throw new ArgumentOutOfRangeException(nameof(eps), eps, "ε must be positive and finite.");
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

    /// <summary>ε, added to the variance before the square root.</summary>
    public T Eps { get; }

    /// <summary>γ, the learned scale (1 x D).</summary>
    public Parameter<T> Gamma { get; }

    /// <summary>β, the learned shift (1 x D).</summary>
    public Parameter<T> Beta { get; }

    /// <inheritdoc/>
    public IReadOnlyList<Parameter<T>> Parameters { get; }

    /// <summary>Whether the layer keeps running estimates for inference mode (batch norm, batch renorm; not layer norm).</summary>
    public bool HasRunningStatistics => RunningBuffers.Count > 0;

    /// <summary>The arrays holding the running estimates (empty when there are none), in a fixed order.</summary>
    protected virtual IReadOnlyList<T[]> RunningBuffers => [];

    /// <summary>The counter that goes with them (batches seen, or the schedule's step).</summary>
    protected virtual long RunningCount { get => 0; set { } }

    /// <summary>Copies the running estimates, so that a side effect on them can be undone with <see cref="Restore"/>.</summary>
    public RunningStatisticsSnapshot<T> Snapshot() =>
        new(this, RunningBuffers.Select(b => (T[])b.Clone()).ToArray(), RunningCount);

    /// <summary>Puts back the running estimates of a <see cref="Snapshot"/> of this layer.</summary>
    public void Restore(RunningStatisticsSnapshot<T> snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (!ReferenceEquals(snapshot.Layer, this))
            throw new ArgumentException($"{Name}: this snapshot was taken of '{snapshot.Layer.Name}', not of this layer.", nameof(snapshot));
        var buffers = RunningBuffers;
        for (var i = 0; i < buffers.Count; i++) snapshot.Buffers[i].CopyTo(buffers[i], 0);
        RunningCount = snapshot.Count;
    }

    /// <summary>
    /// Sets the running estimates from statistics of this layer's input over a whole data set, computed
    /// with the weights frozen: per feature the mean and the biased variance over <paramref name="count"/>
    /// examples. Each layer stores them in its own form (batch norm: E[x] and the unbiased Var[x]).
    /// </summary>
    public void SetPopulationStatistics(ReadOnlySpan<double> mean, ReadOnlySpan<double> biasedVariance, long count)
    {
        if (!HasRunningStatistics)
            throw new InvalidOperationException($"{Name}: {GetType().Name.Split('`')[0]} keeps no running statistics; it normalises every example with its own statistics in both modes.");
        Guard.Length(mean, Features, Name, "population means");
        Guard.Length(biasedVariance, Features, Name, "population variances");
        if (count < 2) throw new ArgumentOutOfRangeException(nameof(count), count, $"{Name}: population statistics need at least 2 examples.");
        StorePopulationStatistics(mean, biasedVariance, count);
    }

    /// <summary>Stores checked population statistics in the layer's own form (see <see cref="SetPopulationStatistics"/>).</summary>
    protected virtual void StorePopulationStatistics(ReadOnlySpan<double> mean, ReadOnlySpan<double> biasedVariance, long count)
    {
    }

    /// <inheritdoc/>
    public Matrix<T> Forward(Matrix<T> x)
    {
        Guard.Shape(x, -1, Features, Name, "input");
        Guard.Finite(x, Name, "input");
        var y = _output.Get(x.Rows, Features);
        _x = x;
        _lastForwardMode = Mode;
        ForwardCore(x, y, Mode);
        return y;
    }

    /// <inheritdoc/>
    public Matrix<T>? Backward(Matrix<T> dy)
    {
        var x = _x ?? throw new InvalidOperationException($"{Name}: Backward called before Forward.");
        if (NeedsTrainingForward && _lastForwardMode != Mode.Training)
            throw new InvalidOperationException($"{Name}: Backward needs a training-mode forward pass; the last one ran in inference mode.");
        Guard.Shape(dy, x.Rows, Features, Name, "output gradient");
        var dx = _inputGrad.Get(x.Rows, Features);
        BackwardCore(dy, x, dx);
        return dx;
    }

    /// <summary>The mode the last forward pass ran in (what <see cref="BackwardCore"/> differentiates).</summary>
    protected Mode LastForwardMode => _lastForwardMode;

    /// <summary>Whether <see cref="Backward"/> is defined only after a training-mode forward pass.</summary>
    protected virtual bool NeedsTrainingForward => true;

    /// <summary>Computes y from x (both N x D) in <paramref name="mode"/>, keeping what the backward pass needs.</summary>
    protected abstract void ForwardCore(Matrix<T> x, Matrix<T> y, Mode mode);

    /// <summary>Sets ∂ℓ/∂γ, ∂ℓ/∂β and writes ∂ℓ/∂x into <paramref name="dx"/> for the last forward pass on <paramref name="x"/>.</summary>
    protected abstract void BackwardCore(Matrix<T> dy, Matrix<T> x, Matrix<T> dx);

    /// <summary>The error for a single example in training mode, where the batch statistics are undefined or degenerate.</summary>
    protected ArgumentException SingleExampleError(Matrix<T> x, string method, string why) => new(
        $"{Name}: {method} in training mode needs more than 1 value per feature, got input of shape {x.Shape} " +
        $"({why}). Use a batch of 2 or more, or set Mode = Mode.Inference.", nameof(x));
}
