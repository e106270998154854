using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Losses;
using BatchNormLab.Models;

namespace BatchNormLab.Measurements;

/// <summary>
/// Re-evaluates a training step's batch at other weights, from inside the step, and undoes it: a copy
/// of every parameter's value and gradient and of the running statistics (<see cref="Capture"/>), the
/// loss and gradient of the model's own forward and backward pass on the same batch with any noise
/// held (<see cref="LossAndGradient"/>), and <see cref="Restore"/>, after which the trainer's step
/// continues exactly as if nothing had happened.
/// </summary>
public sealed class BatchReplay
{
    private readonly Sequential<float> _model;
    private readonly IStochasticLayer[] _stochastic;
    private readonly SoftmaxCrossEntropy<float> _loss = new();
    private readonly float[][] _values;
    private readonly float[][] _grads;
    private RunningStatistics<float>? _running;

    /// <summary>Prepares the copies for <paramref name="model"/> (allocated once).</summary>
    public BatchReplay(Sequential<float> model)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        _stochastic = model.Layers.OfType<IStochasticLayer>().ToArray();
        _values = model.Parameters.Select(p => new float[p.Value.Data.Length]).ToArray();
        _grads = model.Parameters.Select(p => new float[p.Grad.Data.Length]).ToArray();
    }

    /// <summary>The captured values θ, one array per parameter in <see cref="Sequential{T}.Parameters"/> order.</summary>
    public IReadOnlyList<float[]> Values => _values;

    /// <summary>The captured gradients ∇ℓ(θ), same order.</summary>
    public IReadOnlyList<float[]> Gradients => _grads;

    /// <summary>Copies every parameter's value and gradient and the running statistics.</summary>
    public void Capture()
    {
        var ps = _model.Parameters;
        for (var k = 0; k < ps.Count; k++)
        {
            ps[k].Value.Data.CopyTo(_values[k], 0);
            ps[k].Grad.Data.CopyTo(_grads[k], 0);
        }
        _running = RunningStatistics<float>.Capture(_model);
    }

    /// <summary><see cref="Capture"/>, then <paramref name="measure"/>, then <see cref="Restore"/> (even when the measurement throws).</summary>
    public void Around(Action measure)
    {
        ArgumentNullException.ThrowIfNull(measure);
        Capture();
        try
        {
            measure();
        }
        finally
        {
            Restore();
        }
    }

    /// <summary>Puts back what <see cref="Capture"/> copied.</summary>
    public void Restore()
    {
        if (_running is null) throw new InvalidOperationException("Restore called before Capture.");
        ResetValues();
        var ps = _model.Parameters;
        for (var k = 0; k < ps.Count; k++) _grads[k].CopyTo(ps[k].Grad.Data, 0);
        _running.Restore();
    }

    /// <summary>Sets every parameter back to the captured θ (gradients untouched).</summary>
    public void ResetValues()
    {
        var ps = _model.Parameters;
        for (var k = 0; k < ps.Count; k++) _values[k].CopyTo(ps[k].Value.Data, 0);
    }

    /// <summary>
    /// Training-mode forward, loss and backward on <paramref name="batch"/> at the current weights, with
    /// the last noise draw held; returns ℓ and leaves ∇ℓ in every parameter's <c>Grad</c>.
    /// </summary>
    public float LossAndGradient(Batch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var held = _stochastic.Select(s => s.HoldNoise).ToArray();
        foreach (var s in _stochastic) s.HoldNoise = true;
        try
        {
            var l = _loss.Forward(_model.Forward(batch.Images), batch.Labels);
            _model.Backward(_loss.Backward());
            return l;
        }
        finally
        {
            for (var i = 0; i < _stochastic.Length; i++) _stochastic[i].HoldNoise = held[i];
        }
    }
}
