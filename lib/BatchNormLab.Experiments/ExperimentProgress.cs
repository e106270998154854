using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>
/// Progress of a multi-run experiment (the Figure 1 pair, a sweep, a peril), for a notebook's live
/// progress display: how many updates are done over all runs, and which run reported.
/// </summary>
/// <param name="Run">What is running, e.g. "with BN, learning rate 10" or "sorted, BatchNorm".</param>
/// <param name="StepsDone">Updates done over the whole experiment so far.</param>
/// <param name="StepsTotal">Updates planned over the whole experiment.</param>
/// <param name="Latest">That run's own trainer report (loss since its previous report, latest test accuracy), where the run goes through <see cref="Trainer"/>; null otherwise.</param>
public readonly record struct ExperimentProgress(string Run, long StepsDone, long StepsTotal, TrainingProgress? Latest = null)
{
    /// <summary>Fraction of the whole experiment done, 0..1.</summary>
    public double Fraction => StepsTotal <= 0 ? 1 : Math.Clamp((double)StepsDone / StepsTotal, 0, 1);

    /// <inheritdoc/>
    public override string ToString() => $"{Run}: {Fraction:P0}";
}
