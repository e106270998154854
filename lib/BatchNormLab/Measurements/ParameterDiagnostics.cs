using BatchNormLab.Models;
using BatchNormLab.Training;

namespace BatchNormLab.Measurements;

/// <summary>
/// A practitioner's view of every parameter during training, as in Karpathy's makemore parts 3 and 4:
/// the update:data ratio log₁₀(std(Δθ) / std(θ)) of each step's actual update Δθ (about −3 is the usual
/// rule of thumb: far above, the rate is too high; far below, the parameter barely moves), the spread of
/// its gradient, its values' 15th/50th/85th percentiles (γ and β over training), and copies of every
/// gradient at chosen steps (for histograms).
/// </summary>
/// <remarks>Measured every <see cref="Every"/> steps: values and gradients after the backward pass, the update after it is applied.</remarks>
public sealed class ParameterDiagnostics : ITrainingObserver
{
    private readonly string[] _names;
    private readonly float[][] _before;
    private readonly HashSet<int> _snapshotSteps;
    private readonly List<int> _steps = [];
    private readonly List<double>[] _ratio, _gradStd, _p15, _p50, _p85;
    private float[] _scratch = [];

    /// <summary>Watches every parameter of <paramref name="model"/> every <paramref name="every"/> steps, copying gradients at <paramref name="gradientSnapshotSteps"/>.</summary>
    public ParameterDiagnostics(Sequential<float> model, int every, IEnumerable<int>? gradientSnapshotSteps = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (every <= 0) throw new ArgumentOutOfRangeException(nameof(every), every, "Measure every k ≥ 1 steps.");
        Every = every;
        _names = model.Parameters.Select(p => p.Name).ToArray();
        _before = model.Parameters.Select(p => new float[p.Value.Data.Length]).ToArray();
        _snapshotSteps = [.. gradientSnapshotSteps ?? []];
        List<double>[] Lists() => _names.Select(_ => new List<double>()).ToArray();
        (_ratio, _gradStd, _p15, _p50, _p85) = (Lists(), Lists(), Lists(), Lists(), Lists());
    }

    /// <summary>The measurement interval in steps.</summary>
    public int Every { get; }

    /// <summary>The parameters' names (e.g. "dense1.W", "bn1.gamma"), in model order.</summary>
    public IReadOnlyList<string> Names => _names;

    /// <summary>The steps measured.</summary>
    public IReadOnlyList<int> Steps => _steps;

    /// <summary>Gradients copied at the snapshot steps: step → one array per parameter (model order).</summary>
    public Dictionary<int, float[][]> GradientSnapshots { get; } = [];

    /// <summary>log₁₀(std(Δθ) / std(θ)) of parameter <paramref name="name"/> at each measured step (NaN while std(θ) = 0, e.g. γ = 1 at the start).</summary>
    public IReadOnlyList<double> UpdateToDataLog10(string name) => _ratio[Index(name)];

    /// <summary>Population standard deviation of the parameter's gradient at each measured step.</summary>
    public IReadOnlyList<double> GradientStd(string name) => _gradStd[Index(name)];

    /// <summary>The <paramref name="level"/>-th percentile (15, 50 or 85) of the parameter's values at each measured step.</summary>
    public IReadOnlyList<double> ValuePercentile(string name, int level) => level switch
    {
        15 => _p15[Index(name)],
        50 => _p50[Index(name)],
        85 => _p85[Index(name)],
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Recorded percentiles: 15, 50, 85."),
    };

    /// <summary>log₁₀(std(Δθ) / std(θ)) for one update; NaN when std(θ) = 0. Pure.</summary>
    public static double UpdateToData(ReadOnlySpan<float> before, ReadOnlySpan<float> after)
    {
        if (before.Length != after.Length) throw new ArgumentException($"Shape mismatch: {before.Length} values before, {after.Length} after.", nameof(after));
        var update = new float[before.Length];
        for (var i = 0; i < update.Length; i++) update[i] = after[i] - before[i];
        var data = DistributionStatistics.MeanAndStandardDeviation(before).StandardDeviation;
        var step = DistributionStatistics.MeanAndStandardDeviation(update).StandardDeviation;
        return data > 0 ? Math.Log10(step / data) : double.NaN;
    }

    void ITrainingObserver.AfterBackward(int step, Sequential<float> model)
    {
        if (step % Every != 0 && !_snapshotSteps.Contains(step)) return;
        var ps = model.Parameters;
        if (_snapshotSteps.Contains(step)) GradientSnapshots[step] = ps.Select(p => (float[])p.Grad.Data.Clone()).ToArray();
        if (step % Every != 0) return;
        Span<double> p = stackalloc double[3];
        for (var k = 0; k < ps.Count; k++)
        {
            var v = ps[k].Value.Data;
            v.CopyTo(_before[k], 0);
            _gradStd[k].Add(DistributionStatistics.MeanAndStandardDeviation(ps[k].Grad.Data).StandardDeviation);
            if (_scratch.Length < v.Length) _scratch = new float[v.Length];
            var s = _scratch.AsSpan(0, v.Length);
            v.CopyTo(s);
            DistributionStatistics.Percentiles(s, [15, 50, 85], p);
            _p15[k].Add(p[0]);
            _p50[k].Add(p[1]);
            _p85[k].Add(p[2]);
        }
    }

    void ITrainingObserver.AfterUpdate(int step, Sequential<float> model)
    {
        if (step % Every != 0) return;
        var ps = model.Parameters;
        for (var k = 0; k < ps.Count; k++) _ratio[k].Add(UpdateToData(_before[k], ps[k].Value.Data));
        _steps.Add(step);
    }

    private int Index(string name)
    {
        var k = Array.IndexOf(_names, name);
        return k >= 0 ? k : throw new ArgumentException($"No parameter named '{name}'; the model has: {string.Join(", ", _names)}.", nameof(name));
    }
}
