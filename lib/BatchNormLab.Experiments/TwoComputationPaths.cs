using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Losses;
using BatchNormLab.Models;
using BatchNormLab.Training;
using BatchNormLab.Tensors;

namespace BatchNormLab.Experiments;

/// <summary>One test image passed through a trained network inside many different batches.</summary>
/// <param name="ImageIndex">Row of the image in the test set.</param>
/// <param name="Label">Its true class.</param>
/// <param name="BatchSize">Size of each batch it was placed in.</param>
/// <param name="TrainingModeProbabilities">p(true class) in training mode, one per batch (each batch = the image + random other test images).</param>
/// <param name="TrainingModePredictions">Predicted class in training mode, one per batch.</param>
/// <param name="InferenceProbability">p(true class) in inference mode (the same in every batch).</param>
/// <param name="InferencePrediction">Predicted class in inference mode.</param>
public sealed record SameImageResult(
    int ImageIndex, int Label, int BatchSize, double[] TrainingModeProbabilities, int[] TrainingModePredictions,
    double InferenceProbability, int InferencePrediction)
{
    /// <summary>How many different classes training mode predicted for the same image.</summary>
    public int DistinctPredictions => TrainingModePredictions.Distinct().Count();

    /// <summary>Largest minus smallest training-mode p(true class).</summary>
    public double ProbabilityRange => TrainingModeProbabilities.Max() - TrainingModeProbabilities.Min();
}

/// <summary>Test accuracy when a network is (wrongly) left in training mode, at one test batch size.</summary>
/// <param name="BatchSize">Test batch size.</param>
/// <param name="Accuracy">Training-mode accuracy, or NaN where training mode refused the batch.</param>
/// <param name="Error">The error message training mode gave (batch size 1), or null.</param>
public sealed record TestBatchSizeRun(int BatchSize, double Accuracy, string? Error);

/// <summary>Accuracy in training mode against test batch size, next to the inference-mode accuracy.</summary>
/// <param name="Runs">One row per test batch size.</param>
/// <param name="InferenceAccuracy">The same network in inference mode (independent of batch size).</param>
public sealed record TestBatchSizeResult(IReadOnlyList<TestBatchSizeRun> Runs, double InferenceAccuracy);

/// <summary>Accuracies of one network measured during training.</summary>
/// <param name="Step">Training steps done.</param>
/// <param name="InferenceAccuracy">With the running estimates.</param>
/// <param name="TrainingModeAccuracy">With batch statistics (shuffled test batches of the training batch size).</param>
public sealed record CatchUpPoint(int Step, double InferenceAccuracy, double TrainingModeAccuracy);

/// <summary>How fast the running estimates of one momentum catch up.</summary>
/// <param name="Momentum">α (PyTorch convention, weight of the newest batch); null = cumulative average.</param>
/// <param name="Points">Measurements at regular steps.</param>
/// <param name="RecalibratedInferenceAccuracy">Inference accuracy at the end after recomputing the running statistics over training data.</param>
public sealed record MomentumCurve(double? Momentum, IReadOnlyList<CatchUpPoint> Points, double RecalibratedInferenceAccuracy)
{
    /// <summary>Training-mode minus inference-mode accuracy at the last measurement.</summary>
    public double FinalGap => Points[^1].TrainingModeAccuracy - Points[^1].InferenceAccuracy;

    /// <summary>First step at which inference accuracy came within <paramref name="tolerance"/> of training-mode accuracy (null if never).</summary>
    public int? CaughtUpAt(double tolerance = 0.02) =>
        Points.FirstOrDefault(p => p.InferenceAccuracy >= p.TrainingModeAccuracy - tolerance)?.Step;
}

/// <summary>The results of <see cref="TwoComputationPaths.MomentumCatchUp"/>.</summary>
public sealed record MomentumCatchUpResult(IReadOnlyList<MomentumCurve> Curves, PerilsOptions Options);

/// <summary>
/// Peril 3: batch norm runs two different computations. In training mode one example's output depends on
/// the rest of its batch; in inference mode it uses running estimates that lag behind the weights.
/// </summary>
public static class TwoComputationPaths
{
    /// <summary>A batch norm network trained the right way (shuffled batches) for the experiments below.</summary>
    public static Sequential<float> TrainReference(Dataset train, PerilsOptions options, IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        var mlp = Mlp<float>.Create(options.Network(NormalizationKind.BatchNorm), options.Seed);
        PerilsTraining.Train(mlp, new MinibatchIterator(train, options.BatchSize, BatchOrder.Shuffled, options.Seed), options.Steps, options.LearningRate,
            ExperimentProgress.Of(progress, "reference network", 0, options.Steps), cancellationToken);
        mlp.Mode = Mode.Inference;
        return mlp;
    }

    /// <summary>
    /// Puts test image <paramref name="imageIndex"/> into <paramref name="batches"/> batches of
    /// <paramref name="batchSize"/> (the other rows drawn at random from the test set) and records its output
    /// in training mode, then once in inference mode.
    /// </summary>
    public static SameImageResult SameImageInDifferentBatches(Sequential<float> mlp, Dataset test, int imageIndex, int batches = 200, int batchSize = 16, int seed = 1)
    {
        ArgumentNullException.ThrowIfNull(mlp);
        ArgumentNullException.ThrowIfNull(test);
        if ((uint)imageIndex >= (uint)test.Count) throw new ArgumentOutOfRangeException(nameof(imageIndex), imageIndex, $"'{test.Name}' has rows 0..{test.Count - 1}.");
        if (batchSize < 2) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Training mode needs batches of at least 2.");
        var label = test.Labels[imageIndex];
        var rng = new Random(seed);
        var probabilities = new double[batches];
        var predictions = new int[batches];
        var saved = RunningStatistics<float>.Capture(mlp);
        var x = new Matrix<float>(batchSize, test.Features);
        var softmax = new SoftmaxCrossEntropy<float>();
        mlp.Mode = Mode.Training;
        try
        {
            for (var b = 0; b < batches; b++)
            {
                test.Images.Row(imageIndex).CopyTo(x.Row(0));
                for (var r = 1; r < batchSize; r++) test.Images.Row(rng.Next(test.Count)).CopyTo(x.Row(r));
                var labels = new int[batchSize];
                labels[0] = label;
                softmax.Forward(mlp.Forward(x), labels);
                probabilities[b] = softmax.Probabilities[0, label];
                predictions[b] = Evaluator.ArgMax(softmax.Probabilities.Row(0));
            }
        }
        finally
        {
            saved.Restore();
        }
        mlp.Mode = Mode.Inference;
        softmax.Forward(mlp.Forward(test.Images.SliceRows(imageIndex, 1)), [label]);
        return new SameImageResult(imageIndex, label, batchSize, probabilities, predictions,
            softmax.Probabilities[0, label], Evaluator.ArgMax(softmax.Probabilities.Row(0)));
    }

    /// <summary>
    /// Forgetting inference mode at test time: accuracy over the first <paramref name="count"/> test examples
    /// in training mode for each test batch size (batch size 1 records the error training mode gives).
    /// </summary>
    public static TestBatchSizeResult AccuracyVsTestBatchSize(Sequential<float> mlp, Dataset test, IReadOnlyList<int>? batchSizes = null, int count = 0)
    {
        ArgumentNullException.ThrowIfNull(mlp);
        ArgumentNullException.ThrowIfNull(test);
        batchSizes ??= [1, 2, 4, 8, 16, 60, 500];
        var n = PerilsTraining.Count(test, count);
        var runs = new List<TestBatchSizeRun>();
        foreach (var m in batchSizes)
        {
            try
            {
                runs.Add(new TestBatchSizeRun(m, PerilsTraining.Accuracy(mlp, test, Mode.Training, m, n), null));
            }
            catch (ArgumentException e)
            {
                runs.Add(new TestBatchSizeRun(m, double.NaN, e.Message));
            }
        }
        return new TestBatchSizeResult(runs, PerilsTraining.Accuracy(mlp, test, Mode.Inference, 500, n));
    }

    /// <summary>
    /// Trains one batch norm network per momentum (same seed, same batches) and measures inference-mode and
    /// training-mode test accuracy every <paramref name="measureEvery"/> steps: small momenta leave the running
    /// estimates far behind early in training. At the end each network's running statistics are recomputed
    /// over <paramref name="recalibrationExamples"/> training examples and inference accuracy is measured again.
    /// </summary>
    public static MomentumCatchUpResult MomentumCatchUp(
        Dataset train, Dataset test, PerilsOptions options, IReadOnlyList<double?>? momenta = null,
        int measureEvery = 25, int recalibrationExamples = 10_000, IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        momenta ??= [0.1, 0.01, 0.001, null];
        if (measureEvery <= 0) throw new ArgumentOutOfRangeException(nameof(measureEvery), measureEvery, "Measure at least every step.");
        var n = PerilsTraining.Count(test, options.EvaluationExamples);
        var curves = new List<MomentumCurve>();
        var total = (long)momenta.Count * options.Steps;
        foreach (var momentum in momenta)
        {
            var mlp = Mlp<float>.Create(options.Network(NormalizationKind.BatchNorm) with { BatchNormMomentum = momentum }, options.Seed);
            var batches = new MinibatchIterator(train, options.BatchSize, BatchOrder.Shuffled, options.Seed);
            var measure = new CatchUpMeasurement(test, n, options.BatchSize, measureEvery, options.Steps);
            var done = (long)curves.Count * options.Steps;
            PerilsTraining.Train(mlp, batches, options.Steps, options.LearningRate,
                ExperimentProgress.Of(progress, $"momentum {momentum?.ToString() ?? "cumulative"}", done, total), cancellationToken, [measure]);
            var points = measure.Points;
            Recalibration.Recompute(mlp, train, recalibrationExamples);
            curves.Add(new MomentumCurve(momentum, points, PerilsTraining.Accuracy(mlp, test, Mode.Inference, 500, n)));
        }
        return new MomentumCatchUpResult(curves, options);
    }

    // Inference-mode and training-mode test accuracy after every k-th update.
    private sealed class CatchUpMeasurement(Dataset test, int count, int batchSize, int every, int steps) : ITrainingObserver
    {
        public List<CatchUpPoint> Points { get; } = [];

        public void AfterUpdate(int step, Sequential<float> model)
        {
            var done = step + 1;
            if (done % every != 0 && done != steps) return;
            Points.Add(new CatchUpPoint(done,
                PerilsTraining.Accuracy(model, test, Mode.Inference, 500, count),
                PerilsTraining.Accuracy(model, test, Mode.Training, batchSize, count)));
        }
    }
}
