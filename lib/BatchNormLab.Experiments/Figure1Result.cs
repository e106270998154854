using BatchNormLab.Models;
using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>
/// The two training runs of Figure 1 on the same data order from the same initial weights: the
/// network without batch norm and the one with BN before every sigmoid.
/// </summary>
/// <param name="Options">The setup both ran with.</param>
/// <param name="WithoutBatchNorm">History of the plain network.</param>
/// <param name="WithBatchNorm">History of the BN network.</param>
/// <param name="ModelWithout">The trained plain network, to keep working with.</param>
/// <param name="ModelWith">The trained BN network.</param>
public sealed record Figure1Result(Figure1Options Options, TrainingHistory WithoutBatchNorm, TrainingHistory WithBatchNorm,
    Sequential<float> ModelWithout, Sequential<float> ModelWith)
{
    /// <summary>The steps evaluated (the same for both runs unless one diverged).</summary>
    public int[] EvaluationSteps => WithBatchNorm.EvaluationSteps.Length <= WithoutBatchNorm.EvaluationSteps.Length
        ? WithBatchNorm.EvaluationSteps : WithoutBatchNorm.EvaluationSteps;

    /// <summary>Final test accuracy without BN.</summary>
    public double FinalAccuracyWithout => WithoutBatchNorm.FinalTestAccuracy;

    /// <summary>Final test accuracy with BN.</summary>
    public double FinalAccuracyWith => WithBatchNorm.FinalTestAccuracy;

    /// <summary>
    /// The first evaluated step from which the BN network's test accuracy stays strictly above the plain
    /// network's at every later evaluation, or null if it never does (compared over the common steps).
    /// </summary>
    public int? BatchNormAheadFrom()
    {
        var a = WithBatchNorm.TestAccuracy;
        var b = WithoutBatchNorm.TestAccuracy;
        var n = Math.Min(a.Length, b.Length);
        int? from = null;
        for (var k = n - 1; k >= 0; k--)
        {
            if (!(a[k] > b[k])) break;
            from = EvaluationSteps[k];
        }
        return from;
    }

    /// <summary>The first evaluated step at which a network's test accuracy reached <paramref name="accuracy"/>, or null.</summary>
    public static int? StepsToReach(TrainingHistory history, double accuracy)
    {
        ArgumentNullException.ThrowIfNull(history);
        for (var k = 0; k < history.TestAccuracy.Length; k++)
            if (history.TestAccuracy[k] >= accuracy) return history.EvaluationSteps[k];
        return null;
    }

    /// <summary>How far each hidden layer's sigmoid-input distribution moved in each run (see <see cref="BandMovement"/>).</summary>
    /// <param name="fromStep">Ignore probes before this step (the start-up transient).</param>
    public IReadOnlyList<(BandMovement Without, BandMovement With)> Movements(int fromStep = 0) =>
        Enumerable.Range(0, Math.Min(WithoutBatchNorm.Layers.Count, WithBatchNorm.Layers.Count))
            .Select(l => (BandMovement.Of(WithoutBatchNorm, l, fromStep), BandMovement.Of(WithBatchNorm, l, fromStep)))
            .ToArray();
}
