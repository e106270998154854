using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>
/// Progress of a multi-run experiment (the Figure 1 pair, a sweep): which run is training and how far
/// it is. A struct: reporting allocates nothing but the label, which the experiment owns.
/// </summary>
/// <param name="Run">The run's label, e.g. "with BN, lr 0.5".</param>
/// <param name="RunIndex">0-based index of the run.</param>
/// <param name="RunCount">Number of runs in the experiment.</param>
/// <param name="Training">The run's own progress.</param>
public readonly record struct ExperimentProgress(string Run, int RunIndex, int RunCount, TrainingProgress Training)
{
    /// <summary>Fraction of the whole experiment done, 0..1 (runs are assumed equally long).</summary>
    public double Fraction => RunCount == 0 ? 1 : (RunIndex + Training.Fraction) / RunCount;

    /// <summary>Updates done over the whole experiment so far (runs are assumed equally long).</summary>
    public long StepsDone => (long)RunIndex * Training.TotalSteps + Training.Step;

    /// <summary>Updates planned over the whole experiment.</summary>
    public long StepsTotal => (long)RunCount * Training.TotalSteps;
}
