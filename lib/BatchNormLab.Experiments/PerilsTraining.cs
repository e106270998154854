using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>What the perils experiments share: the library's trainer with their settings, and accuracy over chosen batches.</summary>
public static class PerilsTraining
{
    /// <summary>
    /// Trains <paramref name="model"/> with the library's <see cref="Trainer"/> (plain SGD, no evaluations) for
    /// <paramref name="steps"/> steps; returns the mean training loss over the last tenth of the steps.
    /// </summary>
    public static double Train(Sequential<float> model, IBatchSource batches, int steps, double learningRate,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default, IReadOnlyList<ITrainingObserver>? observers = null)
    {
        var history = Trainer.Train(model, batches, test: null,
            new TrainingOptions { Steps = steps, LearningRate = learningRate, ProgressEvery = 50 },
            progress, cancellationToken, observers);
        if (history.DivergedAtStep is not null) throw new ArithmeticException(history.Problems[^1].Message);
        var tail = Math.Max(1, history.Steps / 10);
        return history.StepLoss.AsSpan(history.Steps - tail).ToArray().Average();
    }

    /// <summary>
    /// Fraction of correct predictions over the given batches of <paramref name="data"/> (each an array of row
    /// indices), in <paramref name="mode"/>, through the library's <see cref="Evaluator"/> (which undoes any change
    /// a training-mode evaluation makes to the running estimates).
    /// </summary>
    public static double Accuracy(Sequential<float> model, Dataset data, Mode mode, IEnumerable<int[]> batches) =>
        new Evaluator().Run(model, data, mode, batches).Accuracy;

    /// <summary>Accuracy over the first <paramref name="count"/> examples (0 = all) in consecutive batches of <paramref name="batchSize"/>.</summary>
    public static double Accuracy(Sequential<float> model, Dataset data, Mode mode, int batchSize = 500, int count = 0) =>
        Accuracy(model, data, mode, ConsecutiveBatches(Count(data, count), batchSize));

    /// <summary>Rows 0..count−1 cut into consecutive batches of <paramref name="batchSize"/> (a last partial batch is dropped unless it is the only one).</summary>
    public static IEnumerable<int[]> ConsecutiveBatches(int count, int batchSize)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "Batch size must be positive.");
        if (count < batchSize) batchSize = count;
        for (var start = 0; start + batchSize <= count; start += batchSize)
            yield return Enumerable.Range(start, batchSize).ToArray();
    }

    /// <summary>The number of examples an evaluation of <paramref name="count"/> (0 = all) takes from <paramref name="data"/>.</summary>
    public static int Count(Dataset data, int count) => count <= 0 || count > data.Count ? data.Count : count;
}
