using System.Numerics;
using BatchNormLab.Layers;
using BatchNormLab.Tensors;

namespace BatchNormLab.Optimizers;

/// <summary>
/// Stochastic gradient descent, optionally with (heavy-ball) momentum μ, PyTorch's form:
/// v ← μ v + g; θ ← θ − η v. With μ = 0 this is plain θ ← θ − η g, as in the paper's Figure 1.
/// </summary>
public sealed class Sgd<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly Dictionary<Parameter<T>, T[]> _velocity = new(ReferenceEqualityComparer.Instance);

    /// <summary>Creates the optimiser.</summary>
    public Sgd(double learningRate, double momentum = 0)
    {
        if (!(learningRate > 0) || double.IsInfinity(learningRate)) throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be positive and finite.");
        if (!(momentum >= 0 && momentum < 1)) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be in [0, 1).");
        LearningRate = learningRate;
        Momentum = momentum;
    }

    /// <summary>η.</summary>
    public double LearningRate { get; set; }

    /// <summary>μ (0 = plain SGD).</summary>
    public double Momentum { get; }

    /// <summary>
    /// Applies one update to every trainable parameter (<see cref="Parameter{T}.Trainable"/>) from its current
    /// gradient. Returns whether every updated value is finite (false: training diverged), checked in the same
    /// pass as the update; frozen parameters are not changed, so they are not checked.
    /// </summary>
    public bool Step(IReadOnlyList<Parameter<T>> parameters)
    {
        var eta = T.CreateChecked(LearningRate);
        var mu = T.CreateChecked(Momentum);
        var finite = true;
        // An indexed loop: foreach over the interface would box an enumerator on every step.
        for (var k = 0; k < parameters.Count; k++)
        {
            var p = parameters[k];
            if (!p.Trainable) continue;
            var w = p.Value.Data;
            var g = p.Grad.Data;
            if (Momentum == 0)
            {
                finite &= VectorMath.AddScaledAllFinite<T>(-eta, g, w); // θ ← θ − η g
                continue;
            }
            if (!_velocity.TryGetValue(p, out var v)) _velocity[p] = v = new T[w.Length];
            for (var i = 0; i < w.Length; i++)
            {
                v[i] = mu * v[i] + g[i];
                w[i] -= eta * v[i];
            }
            finite &= VectorMath.IndexOfNonFinite<T>(w) < 0;
        }
        return finite;
    }
}
