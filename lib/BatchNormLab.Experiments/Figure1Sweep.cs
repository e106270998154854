using BatchNormLab.Data;

namespace BatchNormLab.Experiments;

/// <summary>
/// Beyond the paper: the Figure 1 pair repeated over learning rates, initial-weight scales or seeds.
/// Every point trains both networks from the same weights on the same batches, as in
/// <see cref="Figure1Experiment"/>. Sweeps record evaluations only (no probes, no histograms), which
/// keeps them cheap; everything else comes from the baseline options.
/// </summary>
public static class Figure1Sweep
{
    /// <summary>The pair at each learning rate η in <paramref name="rates"/> (does BN tolerate larger rates?).</summary>
    public static SweepResult LearningRates(Figure1Options baseline, IReadOnlyList<double> rates, Dataset train, Dataset test,
        IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Run("learning rate", baseline, rates, (o, v) => o with { LearningRate = v }, train, test, progress, cancellationToken);

    /// <summary>The pair at each initial-weight scale s in <paramref name="scales"/> (weights N(0, s²)).</summary>
    public static SweepResult InitScales(Figure1Options baseline, IReadOnlyList<double> scales, Dataset train, Dataset test,
        IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Run("init scale", baseline, scales, (o, v) => o with { InitScale = v }, train, test, progress, cancellationToken);

    /// <summary>The pair for each seed in <paramref name="seeds"/> (initial weights and batch order change together).</summary>
    public static SweepResult Seeds(Figure1Options baseline, IReadOnlyList<int> seeds, Dataset train, Dataset test,
        IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Run("seed", baseline, seeds.Select(s => (double)s).ToArray(), (o, v) => o with { Seed = (int)v }, train, test, progress, cancellationToken);

    /// <summary>The pair for each value, with <paramref name="apply"/> setting the value on the baseline.</summary>
    public static SweepResult Run(string parameter, Figure1Options baseline, IReadOnlyList<double> values,
        Func<Figure1Options, double, Figure1Options> apply, Dataset train, Dataset test,
        IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(apply);
        if (values.Count == 0) throw new ArgumentException($"The {parameter} sweep needs at least one value.", nameof(values));
        var points = new List<SweepPoint>();
        for (var i = 0; i < values.Count; i++)
        {
            var options = apply(baseline, values[i]) with { ProbeEvery = 0, HistogramSteps = [] };
            var result = Figure1Experiment.Run(options, train, test, stepsBefore: 2L * i * baseline.Steps, stepsTotal: 2L * values.Count * baseline.Steps,
                labelSuffix: $", {parameter} {values[i]:G4}", progress, cancellationToken);
            points.Add(new SweepPoint(values[i], result));
        }
        return new SweepResult(parameter, points);
    }
}
