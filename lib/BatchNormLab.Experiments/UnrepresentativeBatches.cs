using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Normalization;

namespace BatchNormLab.Experiments;

/// <summary>One network trained on one kind of minibatch, measured three ways on the test set.</summary>
/// <param name="Composition">How the training batches were built.</param>
/// <param name="Normalization">What sat between each linear map and its nonlinearity.</param>
/// <param name="TrainingLoss">Mean training loss over the last tenth of the steps (training mode, as a training curve shows it).</param>
/// <param name="InferenceAccuracy">Test accuracy in inference mode (running estimates): what the deployed model does.</param>
/// <param name="TrainingModeAccuracy">Test accuracy in training mode on test batches built like the training batches (what a training-time metric shows).</param>
/// <param name="InferenceAccuracyOnTheseBatches">Inference-mode accuracy on exactly the examples of those test batches.</param>
/// <param name="TrainingModeShuffledAccuracy">Test accuracy in training mode on shuffled test batches of the training batch size.</param>
/// <param name="StatisticsMismatch">
/// How far the batch means a BN layer normalises with in training (test batches built like the training batches)
/// are from the running mean inference uses: mean over BN layers, features and batches of |μ_B − E[x]| / √(Var[x] + ε).
/// About 1/√m for representative batches; NaN without batch norm.
/// </param>
public sealed record UnrepresentativeBatchesRun(
    BatchComposition Composition, NormalizationKind Normalization, double TrainingLoss,
    double InferenceAccuracy, double TrainingModeAccuracy, double InferenceAccuracyOnTheseBatches, double TrainingModeShuffledAccuracy,
    double StatisticsMismatch)
{
    /// <summary>
    /// Training-mode minus inference-mode accuracy on the same test examples (batches built like the training
    /// batches): how far the model seen during training is from the one deployed. 0 without batch statistics.
    /// </summary>
    public double Gap => TrainingModeAccuracy - InferenceAccuracyOnTheseBatches;
}

/// <summary>The results of <see cref="UnrepresentativeBatches.Run"/>.</summary>
/// <param name="Runs">One row per (composition, normalisation) pair, in the order requested.</param>
/// <param name="ClassesPerBatch">Classes per batch of <see cref="BatchComposition.FewClasses"/>.</param>
/// <param name="Options">Network and budget.</param>
public sealed record UnrepresentativeBatchesResult(IReadOnlyList<UnrepresentativeBatchesRun> Runs, int ClassesPerBatch, PerilsOptions Options)
{
    /// <summary>The run for a pair (throws with the pairs available when missing).</summary>
    public UnrepresentativeBatchesRun this[BatchComposition composition, NormalizationKind normalization] =>
        Runs.FirstOrDefault(r => r.Composition == composition && r.Normalization == normalization)
        ?? throw new KeyNotFoundException($"No run for {composition} with {normalization}; runs: {string.Join(", ", Runs.Select(r => $"{r.Composition}/{r.Normalization}"))}.");
}

/// <summary>
/// Peril 1 (and the fixes of peril 6): minibatches that do not represent the data. Each network is trained
/// with the same seed and budget on shuffled batches, on batches of a few classes, or on the class-sorted,
/// unshuffled training set, then tested in inference mode and in training mode.
/// </summary>
public static class UnrepresentativeBatches
{
    /// <summary>Runs every (composition, normalisation) pair.</summary>
    /// <param name="train">Training set.</param>
    /// <param name="test">Test set.</param>
    /// <param name="options">Network and budget (steps per run, batch size, learning rate, seed).</param>
    /// <param name="compositions">Batch compositions to compare.</param>
    /// <param name="normalizations">Networks to compare.</param>
    /// <param name="classesPerBatch">Classes per batch for <see cref="BatchComposition.FewClasses"/> (3 of Fashion-MNIST's 10 by default).</param>
    /// <param name="progress">Called after every 50 training steps.</param>
    /// <param name="cancellationToken">Stops the training (<see cref="OperationCanceledException"/>).</param>
    public static UnrepresentativeBatchesResult Run(
        Dataset train, Dataset test, PerilsOptions options,
        IReadOnlyList<BatchComposition> compositions, IReadOnlyList<NormalizationKind> normalizations,
        int classesPerBatch = 3, IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(compositions);
        ArgumentNullException.ThrowIfNull(normalizations);
        var runs = new List<UnrepresentativeBatchesRun>();
        var total = (long)compositions.Count * normalizations.Count * options.Steps;
        var evaluationCount = PerilsTraining.Count(test, options.EvaluationExamples);
        foreach (var composition in compositions)
        {
            // Test batches built the way training batches were (sorted epochs are single-class batches).
            var likeTraining = composition switch
            {
                BatchComposition.Shuffled => PerilsTraining.ConsecutiveBatches(evaluationCount, options.BatchSize).ToList(),
                BatchComposition.FewClasses => FewClassBatchSource.Batches(test.Take(evaluationCount), evaluationCount, options.BatchSize, classesPerBatch, options.Seed),
                _ => FewClassBatchSource.Batches(test.Take(evaluationCount), evaluationCount, options.BatchSize, 1, options.Seed),
            };
            foreach (var kind in normalizations)
            {
                var done = (long)runs.Count * options.Steps;
                var stage = $"{composition}, {kind}";
                var mlp = Mlp<float>.Create(options.Network(kind), options.Seed);
                IBatchSource batches = composition switch
                {
                    BatchComposition.Shuffled => new MinibatchIterator(train, options.BatchSize, BatchOrder.Shuffled, options.Seed),
                    BatchComposition.FewClasses => new FewClassBatchSource(train, options.BatchSize, classesPerBatch, options.Seed),
                    BatchComposition.SortedByClass => new MinibatchIterator(train, options.BatchSize, BatchOrder.SortedByClass, options.Seed),
                    _ => throw new ArgumentOutOfRangeException(nameof(compositions), composition, "Unknown batch composition."),
                };
                var loss = PerilsTraining.Train(mlp, batches, options.Steps, options.LearningRate,
                    ExperimentProgress.Of(progress, stage, done, total), cancellationToken);
                runs.Add(new UnrepresentativeBatchesRun(composition, kind, loss,
                    PerilsTraining.Accuracy(mlp, test, Mode.Inference, 500, evaluationCount),
                    PerilsTraining.Accuracy(mlp, test, Mode.Training, likeTraining),
                    PerilsTraining.Accuracy(mlp, test, Mode.Inference, likeTraining),
                    PerilsTraining.Accuracy(mlp, test, Mode.Training, options.BatchSize, evaluationCount),
                    Mismatch(mlp, test, likeTraining)));
            }
        }
        return new UnrepresentativeBatchesResult(runs, classesPerBatch, options);
    }

    /// <summary>
    /// Mean over BN layers, features and <paramref name="batches"/> of |μ_B − E[x]| / √(Var[x] + ε): the batch means
    /// each layer normalises with in training mode, against the running estimates inference uses. NaN without BN.
    /// The running estimates are left as they were.
    /// </summary>
    public static double Mismatch(Sequential<float> model, Dataset data, IEnumerable<int[]> batches)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(batches);
        var layers = model.LayersOf<BatchNorm<float>>();
        if (layers.Count == 0) return double.NaN;
        var mean = layers.Select(l => l.RunningMean.Select(v => (double)v).ToArray()).ToArray();
        var std = layers.Select(l => l.RunningVariance.Select(v => Math.Sqrt(v + double.CreateChecked(l.Eps))).ToArray()).ToArray();
        var saved = RunningStatistics<float>.Capture(model);
        var mode = model.Mode;
        model.Mode = Mode.Training;
        double sum = 0;
        long count = 0;
        foreach (var rows in batches)
        {
            model.Forward(data.Subset(rows).Images);
            for (var l = 0; l < layers.Count; l++)
            {
                var mu = layers[l].BatchMean;
                for (var j = 0; j < mu.Length; j++) sum += Math.Abs(mu[j] - mean[l][j]) / std[l][j];
                count += mu.Length;
            }
        }
        saved.Restore();
        model.Mode = mode;
        return sum / count;
    }
}
