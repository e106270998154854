namespace BatchNormLab.Training;

/// <summary>What a progress report carries (a struct: reporting allocates nothing on the training side).</summary>
/// <param name="Step">Updates done so far.</param>
/// <param name="TotalSteps">Updates planned.</param>
/// <param name="Loss">Training loss averaged over the steps since the previous report.</param>
/// <param name="TestAccuracy">The latest test accuracy, NaN before the first evaluation.</param>
/// <param name="Elapsed">Wall time since training started.</param>
/// <param name="Problem">The latest problem noticed (see <see cref="TrainingHistory.Problems"/>), or null.</param>
public readonly record struct TrainingProgress(int Step, int TotalSteps, double Loss, double TestAccuracy, TimeSpan Elapsed, TrainingProblem? Problem = null)
{
    /// <summary>Fraction of the planned steps done, 0..1.</summary>
    public double Fraction => TotalSteps == 0 ? 1 : (double)Step / TotalSteps;
}
