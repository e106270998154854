using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Models;

namespace BatchNormLab.Experiments;

/// <summary>One network trained with one batch size.</summary>
/// <param name="Normalization">What sat between each linear map and its nonlinearity.</param>
/// <param name="BatchSize">Training batch size m.</param>
/// <param name="Steps">Training steps (examples seen / m).</param>
/// <param name="InferenceAccuracy">Test accuracy in inference mode.</param>
/// <param name="TrainingModeAccuracy">Test accuracy in training mode on test batches of size m (how noisy batch statistics are at that size).</param>
public sealed record SmallBatchRun(NormalizationKind Normalization, int BatchSize, int Steps, double InferenceAccuracy, double TrainingModeAccuracy);

/// <summary>The results of <see cref="SmallBatches.Run"/>.</summary>
/// <param name="Runs">One row per (normalisation, batch size), normalisations outermost.</param>
/// <param name="ExamplesSeen">Training examples every run saw.</param>
/// <param name="Options">Network and learning rate (its Steps and BatchSize are not used).</param>
public sealed record SmallBatchesResult(IReadOnlyList<SmallBatchRun> Runs, int ExamplesSeen, PerilsOptions Options)
{
    /// <summary>The run for a pair (throws with the pairs available when missing).</summary>
    public SmallBatchRun this[NormalizationKind normalization, int batchSize] =>
        Runs.FirstOrDefault(r => r.Normalization == normalization && r.BatchSize == batchSize)
        ?? throw new KeyNotFoundException($"No run for {normalization} at batch size {batchSize}.");
}

/// <summary>
/// Peril 5 (and the fixes of peril 6): small batches. Every run sees the same number of training examples
/// (so a batch of 2 takes 30 times the steps of a batch of 60) with the same learning rate and seed; only the
/// batch size, and with it the noise in batch norm's μ_B and σ²_B, changes.
/// </summary>
public static class SmallBatches
{
    /// <summary>The batch sizes of the issue: 2, 4, 8, 16 and the paper's 60.</summary>
    public static IReadOnlyList<int> DefaultBatchSizes { get; } = [2, 4, 8, 16, 60];

    /// <summary>Trains one network per (normalisation, batch size) on <paramref name="examplesSeen"/> shuffled examples.</summary>
    public static SmallBatchesResult Run(
        Dataset train, Dataset test, PerilsOptions options, IReadOnlyList<NormalizationKind> normalizations,
        IReadOnlyList<int>? batchSizes = null, int examplesSeen = 30_000, IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(normalizations);
        batchSizes ??= DefaultBatchSizes;
        if (batchSizes.Any(b => b < 2))
            throw new ArgumentOutOfRangeException(nameof(batchSizes), string.Join(", ", batchSizes), "Batch sizes must be at least 2 (batch norm cannot train on 1 example).");
        if (examplesSeen < batchSizes.Max())
            throw new ArgumentOutOfRangeException(nameof(examplesSeen), examplesSeen, "Every run must see at least one full batch.");
        var evaluationCount = PerilsTraining.Count(test, options.EvaluationExamples);
        var runs = new List<SmallBatchRun>();
        var total = (long)normalizations.Count * batchSizes.Count * examplesSeen;
        long done = 0;
        foreach (var kind in normalizations)
        {
            foreach (var m in batchSizes)
            {
                var steps = examplesSeen / m;
                var mlp = Mlp<float>.Create(options.Network(kind, steps), options.Seed);
                var batches = new MinibatchIterator(train, m, BatchOrder.Shuffled, options.Seed);
                var stage = $"{kind}, batch {m}";
                var start = done;
                PerilsTraining.Train(mlp, batches, steps, options.LearningRate,
                    ExperimentProgress.Of(progress, stage, start, total, weight: m), cancellationToken);
                done += (long)steps * m;
                runs.Add(new SmallBatchRun(kind, m, steps,
                    PerilsTraining.Accuracy(mlp, test, Mode.Inference, 500, evaluationCount),
                    PerilsTraining.Accuracy(mlp, test, Mode.Training, m, evaluationCount)));
            }
        }
        return new SmallBatchesResult(runs, examplesSeen, options);
    }
}
