using BatchNormLab.Data;
using BatchNormLab.Models;
using BatchNormLab.Optimizers;
using BatchNormLab.Training;

namespace BatchNormLab.Measurements;

/// <summary>
/// The loss landscape along the gradient, as in Santurkar et al. (2018, §3.1, Figure 4), measured inside a
/// training run. At a measured step with weights θ and gradient g = ∇ℓ(θ) on the step's batch, for each
/// step size η_k: ℓ_k = ℓ(θ − η_k g) and g_k = ∇ℓ(θ − η_k g) on the same batch. Recorded per step:
/// the loss range min_k ℓ_k .. max_k ℓ_k ("loss landscape"); the range of ‖g_k − g‖₂ ("gradient
/// predictiveness": small = the gradient here predicts the gradient there); and the effective
/// β-smoothness max_k ‖g_k − g‖₂ / ‖η_k g‖₂, the largest change of the gradient per unit of distance moved.
/// </summary>
/// <remarks>
/// The step sizes are multiples of the run's learning rate (<see cref="StepMultiples"/>). Every parameter
/// moves (weights, biases, γ, β). The batch is replayed with any noise held and everything is restored
/// afterwards (<see cref="BatchReplay"/>), so the run trains exactly as it would unobserved.
/// </remarks>
public sealed class LossLandscape : ITrainingObserver
{
    private readonly BatchReplay _replay;
    private readonly float[][] _gradAt;
    private readonly List<int> _steps = [];
    private readonly List<double> _loss = [], _lossMin = [], _lossMax = [], _changeMin = [], _changeMax = [], _beta = [];
    private double _eta;
    private Batch? _batch;
    private float _batchLoss;
    private int _step;

    /// <summary>Measures <paramref name="model"/> every <paramref name="every"/> steps at η_k = <paramref name="stepMultiples"/>[k] · η.</summary>
    public LossLandscape(Sequential<float> model, int every, IReadOnlyList<double> stepMultiples)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stepMultiples);
        if (every <= 0) throw new ArgumentOutOfRangeException(nameof(every), every, "Measure every k ≥ 1 steps.");
        if (stepMultiples.Count == 0 || stepMultiples.Any(s => !(s > 0) || !double.IsFinite(s)))
            throw new ArgumentException($"Step multiples must be positive and finite, at least one; got [{string.Join(", ", stepMultiples)}].", nameof(stepMultiples));
        Every = every;
        StepMultiples = stepMultiples.ToArray();
        _replay = new BatchReplay(model);
        _gradAt = model.Parameters.Select(p => p.Grad.Data).ToArray();
    }

    /// <summary>The measurement interval in steps.</summary>
    public int Every { get; }

    /// <summary>η_k / η for each step size tried.</summary>
    public IReadOnlyList<double> StepMultiples { get; }

    /// <summary>The steps measured.</summary>
    public IReadOnlyList<int> Steps => _steps;

    /// <summary>ℓ(θ) on the step's batch.</summary>
    public IReadOnlyList<double> Loss => _loss;

    /// <summary>min_k ℓ(θ − η_k g).</summary>
    public IReadOnlyList<double> LossMin => _lossMin;

    /// <summary>max_k ℓ(θ − η_k g).</summary>
    public IReadOnlyList<double> LossMax => _lossMax;

    /// <summary>min_k ‖∇ℓ(θ − η_k g) − g‖₂.</summary>
    public IReadOnlyList<double> GradientChangeMin => _changeMin;

    /// <summary>max_k ‖∇ℓ(θ − η_k g) − g‖₂.</summary>
    public IReadOnlyList<double> GradientChangeMax => _changeMax;

    /// <summary>Effective β-smoothness, max_k ‖∇ℓ(θ − η_k g) − g‖₂ / (η_k ‖g‖₂).</summary>
    public IReadOnlyList<double> BetaSmoothness => _beta;

    void ITrainingObserver.BeforeStep(int step, Sgd<float> sgd)
    {
        if (step % Every == 0) _eta = sgd.LearningRate;
    }

    void ITrainingObserver.AfterForward(int step, Sequential<float> model, Batch batch, float loss)
    {
        if (step % Every != 0) return;
        _step = step;
        _batch = batch;
        _batchLoss = loss;
    }

    void ITrainingObserver.AfterBackward(int step, Sequential<float> model)
    {
        if (step % Every != 0) return;
        var batch = _batch ?? throw new InvalidOperationException("No batch seen in this step.");
        _replay.Around(() => Measure(batch, model));
    }

    private void Measure(Batch batch, Sequential<float> model)
    {
        var g = _replay.Gradients;
        var gNorm = GradientGeometry.Norm(g);
        var parameters = model.Parameters;
        double lossMin = double.PositiveInfinity, lossMax = double.NegativeInfinity;
        double changeMin = double.PositiveInfinity, changeMax = 0, beta = 0;
        foreach (var multiple in StepMultiples)
        {
            var etaK = (float)(multiple * _eta);
            _replay.ResetValues();
            for (var k = 0; k < parameters.Count; k++)
            {
                var w = parameters[k].Value.Data;
                var gk = g[k];
                for (var i = 0; i < w.Length; i++) w[i] -= etaK * gk[i];
            }
            double l = _replay.LossAndGradient(batch);
            var change = GradientGeometry.Distance(_gradAt, g);
            lossMin = Math.Min(lossMin, l);
            lossMax = Math.Max(lossMax, l);
            changeMin = Math.Min(changeMin, change);
            changeMax = Math.Max(changeMax, change);
            if (gNorm > 0) beta = Math.Max(beta, change / (etaK * gNorm));
        }
        _steps.Add(_step);
        _loss.Add(_batchLoss);
        _lossMin.Add(lossMin);
        _lossMax.Add(lossMax);
        _changeMin.Add(changeMin);
        _changeMax.Add(changeMax);
        _beta.Add(beta);
    }
}
