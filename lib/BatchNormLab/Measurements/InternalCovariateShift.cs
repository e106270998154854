using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Optimizers;
using BatchNormLab.Training;

namespace BatchNormLab.Measurements;

/// <summary>
/// Internal covariate shift as Santurkar et al. (2018, §2.2) define it, measured inside a training run:
/// for each dense layer i after the first, G_i = ∂ℓ/∂W_i at the step's weights, and G'_i = ∂ℓ/∂W_i on the
/// same batch after every earlier layer (W_1 … W_{i−1}, with their biases, γ and β) has taken this step's
/// SGD update θ ← θ − η g. ICS_i = ‖G_i − G'_i‖₂, reported with cos∠(G_i, G'_i) and ‖G_i‖₂.
/// </summary>
/// <remarks>
/// Every <see cref="Every"/> steps, after the backward pass: the update of the earlier layers is applied,
/// the batch replayed (<see cref="BatchReplay"/>; noise held), and everything restored, so the run
/// trains exactly as it would unobserved. Costs one extra forward and backward pass per measured layer.
/// Plain SGD only (the update is η g): with momentum the measurement would need the optimiser's velocity.
/// </remarks>
public sealed class InternalCovariateShift : ITrainingObserver
{
    private readonly BatchReplay _replay;
    private readonly Dense<float>[] _measured;
    private readonly int[] _parameterIndex;
    private readonly int[] _earlierCount;
    private readonly List<int> _steps = [];
    private readonly List<double>[] _distance, _cosine, _norm;
    private double _eta;
    private Batch? _batch;

    /// <summary>Measures every dense layer of <paramref name="model"/> after the first, every <paramref name="every"/> steps.</summary>
    public InternalCovariateShift(Sequential<float> model, int every)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (every <= 0) throw new ArgumentOutOfRangeException(nameof(every), every, "Measure every k ≥ 1 steps.");
        Every = every;
        _replay = new BatchReplay(model);
        var parameters = model.Parameters;
        var measured = new List<Dense<float>>();
        var index = new List<int>();
        var earlier = new List<int>();
        var before = 0;
        var first = true;
        foreach (var layer in model.Layers)
        {
            if (layer is Dense<float> dense)
            {
                if (!first)
                {
                    measured.Add(dense);
                    index.Add(IndexOf(parameters, dense.Weights));
                    earlier.Add(before);
                }
                first = false;
            }
            before += layer.Parameters.Count;
        }
        if (measured.Count == 0) throw new ArgumentException("Internal covariate shift needs at least two dense layers (the first has no earlier layers).", nameof(model));
        _measured = [.. measured];
        _parameterIndex = [.. index];
        _earlierCount = [.. earlier];
        _distance = _measured.Select(_ => new List<double>()).ToArray();
        _cosine = _measured.Select(_ => new List<double>()).ToArray();
        _norm = _measured.Select(_ => new List<double>()).ToArray();
    }

    /// <summary>The measurement interval in steps.</summary>
    public int Every { get; }

    /// <summary>The dense layers measured (the second onwards), by name.</summary>
    public IReadOnlyList<string> LayerNames => _measured.Select(d => d.Name).ToArray();

    /// <summary>The steps measured.</summary>
    public IReadOnlyList<int> Steps => _steps;

    /// <summary>‖G_i − G'_i‖₂ of measured layer <paramref name="layer"/> at each measured step.</summary>
    public IReadOnlyList<double> Distance(int layer) => _distance[layer];

    /// <summary>cos∠(G_i, G'_i) at each measured step (1 = the update of the earlier layers left the direction alone).</summary>
    public IReadOnlyList<double> Cosine(int layer) => _cosine[layer];

    /// <summary>‖G_i‖₂ at each measured step, to read the distance against.</summary>
    public IReadOnlyList<double> GradientNorm(int layer) => _norm[layer];

    void ITrainingObserver.BeforeStep(int step, Sgd<float> sgd)
    {
        if (step % Every != 0) return;
        if (sgd.Momentum != 0)
            throw new InvalidOperationException($"Internal covariate shift is measured for plain SGD (the update η g); this run uses momentum {sgd.Momentum}. Train with Momentum = 0 or remove the observer.");
        _eta = sgd.LearningRate;
    }

    void ITrainingObserver.AfterForward(int step, Sequential<float> model, Batch batch, float loss)
    {
        if (step % Every == 0) _batch = batch;
    }

    void ITrainingObserver.AfterBackward(int step, Sequential<float> model)
    {
        if (step % Every != 0) return;
        var batch = _batch ?? throw new InvalidOperationException("No batch seen in this step.");
        _replay.Around(() => Measure(batch, model));
        _steps.Add(step);
    }

    private void Measure(Batch batch, Sequential<float> model)
    {
        var parameters = model.Parameters;
        var eta = (float)_eta;
        for (var m = 0; m < _measured.Length; m++)
        {
            // θ_k ← θ_k − η g_k for every parameter of the earlier layers; the rest stay at this step's values.
            _replay.ResetValues();
            for (var k = 0; k < _earlierCount[m]; k++)
            {
                var w = parameters[k].Value.Data;
                var g = _replay.Gradients[k];
                for (var i = 0; i < w.Length; i++) w[i] -= eta * g[i];
            }
            _replay.LossAndGradient(batch);
            var before = _replay.Gradients[_parameterIndex[m]];
            var after = _measured[m].Weights.Grad.Data;
            _distance[m].Add(GradientGeometry.Distance(before, after));
            _cosine[m].Add(GradientGeometry.Cosine(before, after));
            _norm[m].Add(GradientGeometry.Norm([before]));
        }
    }

    private static int IndexOf(IReadOnlyList<Parameter<float>> parameters, Parameter<float> p)
    {
        for (var k = 0; k < parameters.Count; k++)
            if (ReferenceEquals(parameters[k], p)) return k;
        throw new InvalidOperationException($"{p.Name} is not among the model's parameters.");
    }
}
