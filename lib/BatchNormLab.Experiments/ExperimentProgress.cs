using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>
/// Progress of a multi-run experiment (the Figure 1 pair, a sweep, a peril), for a notebook's live
/// progress display: how many updates are done over all runs, and which run reported.
/// </summary>
/// <param name="Run">What is running, e.g. "with BN, learning rate 10" or "sorted, BatchNorm".</param>
/// <param name="StepsDone">Updates done over the whole experiment so far.</param>
/// <param name="StepsTotal">Updates planned over the whole experiment.</param>
/// <param name="Latest">That run's own trainer report (loss since its previous report, latest test accuracy).</param>
public readonly record struct ExperimentProgress(string Run, long StepsDone, long StepsTotal, TrainingProgress? Latest = null)
{
    /// <summary>Fraction of the whole experiment done, 0..1.</summary>
    public double Fraction => StepsTotal <= 0 ? 1 : Math.Clamp((double)StepsDone / StepsTotal, 0, 1);

    /// <inheritdoc/>
    public override string ToString() => $"{Run}: {Fraction:P0}";

    /// <summary>
    /// The trainer's progress of one run, reported as part of the experiment: <paramref name="before"/> updates
    /// were done before this run, and each of its steps counts <paramref name="weight"/> (e.g. examples instead of steps).
    /// Null when nobody listens.
    /// </summary>
    public static IProgress<TrainingProgress>? Of(IProgress<ExperimentProgress>? experiment, string run, long before, long total, long weight = 1) =>
        experiment is null ? null : new RunProgress(experiment, run, before, total, weight);

    private sealed class RunProgress(IProgress<ExperimentProgress> experiment, string run, long before, long total, long weight) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => experiment.Report(new ExperimentProgress(run, before + value.Step * weight, total, value));
    }
}
