using BatchNormLab.Layers;

namespace BatchNormLab.Training;

/// <summary>
/// Everything a training run recorded, as plain arrays ready to chart: per-step loss, evaluations,
/// probes and histograms. Steps count updates done (see <see cref="TrainingOptions"/>).
/// </summary>
public sealed class TrainingHistory
{
    /// <summary>Updates actually done (less than planned only if training diverged).</summary>
    public required int Steps { get; init; }

    /// <summary>Training loss of every update's batch (index t = the batch of update t + 1), before that update.</summary>
    public required float[] StepLoss { get; init; }

    /// <summary>The steps evaluated.</summary>
    public required int[] EvaluationSteps { get; init; }

    /// <summary>Training loss averaged over the steps since the previous evaluation (NaN at step 0).</summary>
    public required double[] TrainLoss { get; init; }

    /// <summary>Training accuracy on those same batches (training mode, before each update; NaN at step 0).</summary>
    public required double[] TrainAccuracy { get; init; }

    /// <summary>Test accuracy at each evaluation (NaN without a test set).</summary>
    public required double[] TestAccuracy { get; init; }

    /// <summary>Test loss at each evaluation (NaN without a test set).</summary>
    public required double[] TestLoss { get; init; }

    /// <summary>Mode of the test evaluations.</summary>
    public required Mode EvaluationMode { get; init; }

    /// <summary>Test batch size of the evaluations.</summary>
    public required int EvaluationBatchSize { get; init; }

    /// <summary>The probed steps; index k of every <see cref="DistributionSeries"/> array belongs to ProbeSteps[k].</summary>
    public required int[] ProbeSteps { get; init; }

    /// <summary>One entry per hidden layer (empty when nothing was probed).</summary>
    public required IReadOnlyList<LayerProbe> Layers { get; init; }

    /// <summary>Histogram snapshots, ordered by step then layer.</summary>
    public required IReadOnlyList<HistogramSnapshot> Histograms { get; init; }

    /// <summary>The step whose update produced non-finite values, or null if training stayed finite.</summary>
    public int? DivergedAtStep { get; init; }

    /// <summary>Problems noticed during the run (divergence, an exploding loss, no learning), in order; empty when none.</summary>
    public IReadOnlyList<TrainingProblem> Problems { get; init; } = [];

    /// <summary>Wall time of the whole run.</summary>
    public required TimeSpan Elapsed { get; init; }

    /// <summary>Time spent in evaluations (included in <see cref="Elapsed"/>).</summary>
    public required TimeSpan EvaluationTime { get; init; }

    /// <summary>Time spent in probes and histograms (included in <see cref="Elapsed"/>).</summary>
    public required TimeSpan ProbeTime { get; init; }

    /// <summary>Updates per second excluding evaluation time.</summary>
    public double StepsPerSecond => Steps / Math.Max(1e-9, (Elapsed - EvaluationTime).TotalSeconds);

    /// <summary>The last test accuracy (NaN if none).</summary>
    public double FinalTestAccuracy => TestAccuracy.Length == 0 ? double.NaN : TestAccuracy[^1];

    /// <summary>The histograms of hidden layer <paramref name="layer"/>, in step order.</summary>
    public IEnumerable<HistogramSnapshot> HistogramsOf(int layer) => Histograms.Where(h => h.Layer == layer);
}
