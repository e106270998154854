using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>
/// Progress of a multi-run experiment (the Figure 1 pair, a sweep): how many updates are done over all
/// runs, and the latest report of the run that reported last.
/// </summary>
/// <param name="Run">The label of the run that reported, e.g. "with BN, learning rate 10".</param>
/// <param name="StepsDone">Updates done over the whole experiment so far.</param>
/// <param name="StepsTotal">Updates planned over the whole experiment.</param>
/// <param name="Latest">That run's own progress (its loss since its previous report, its latest test accuracy).</param>
public readonly record struct ExperimentProgress(string Run, long StepsDone, long StepsTotal, TrainingProgress Latest)
{
    /// <summary>Fraction of the whole experiment done, 0..1.</summary>
    public double Fraction => StepsTotal == 0 ? 1 : (double)StepsDone / StepsTotal;
}
