using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>One network of <see cref="GeneralizationGap"/>.</summary>
/// <param name="BatchNorm">Whether the network has BN before every sigmoid.</param>
/// <param name="BatchSize">Training batch size m (also the set of examples BN normalises over).</param>
/// <param name="Steps">Training steps (examples seen / m).</param>
/// <param name="TrainAccuracy">Accuracy on the training examples held for evaluation (inference mode).</param>
/// <param name="TestAccuracy">Accuracy on the test set (inference mode).</param>
/// <param name="TrainLoss">Mean cross-entropy on those training examples.</param>
/// <param name="TestLoss">Mean cross-entropy on the test set.</param>
public sealed record GapRun(bool BatchNorm, int BatchSize, int Steps, double TrainAccuracy, double TestAccuracy, double TrainLoss, double TestLoss)
{
    /// <summary>Train accuracy − test accuracy.</summary>
    public double Gap => TrainAccuracy - TestAccuracy;

    /// <summary>Test loss − train loss.</summary>
    public double LossGap => TestLoss - TrainLoss;
}

/// <summary>The runs of <see cref="GeneralizationGap.Run"/>.</summary>
/// <param name="Runs">One per (BN or not, batch size), plain first.</param>
/// <param name="ExamplesSeen">Training examples every run saw.</param>
public sealed record GapResult(IReadOnlyList<GapRun> Runs, int ExamplesSeen)
{
    /// <summary>The run with (<paramref name="batchNorm"/>, <paramref name="batchSize"/>).</summary>
    public GapRun this[bool batchNorm, int batchSize] =>
        Runs.FirstOrDefault(r => r.BatchNorm == batchNorm && r.BatchSize == batchSize)
        ?? throw new KeyNotFoundException($"No run {(batchNorm ? "with" : "without")} BN at batch size {batchSize}.");
}

/// <summary>
/// Batch norm as a regulariser: the Figure 1 networks with and without BN, trained at several batch sizes on the
/// same number of examples (same η, same seed), and their train–test gap. The batch size sets the noise of SGD in
/// both networks and, in the BN network only, the noise of μ_B and σ²_B: the difference between the two networks'
/// gaps at one batch size is what BN's batch noise does.
/// </summary>
public static class GeneralizationGap
{
    /// <summary>Trains the 2 × <paramref name="batchSizes"/> networks; train accuracy is measured on the first <paramref name="trainExamples"/> training examples.</summary>
    public static GapResult Run(Figure1Options options, IReadOnlyList<int> batchSizes, int examplesSeen, Dataset train, Dataset test, int trainExamples = 10_000,
        IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(batchSizes);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        if (batchSizes.Count == 0 || batchSizes.Any(b => b < 2))
            throw new ArgumentOutOfRangeException(nameof(batchSizes), string.Join(", ", batchSizes), "Give at least one batch size, each at least 2 (batch norm cannot train on 1 example).");
        if (examplesSeen < batchSizes.Max()) throw new ArgumentOutOfRangeException(nameof(examplesSeen), examplesSeen, "Every run must see at least one full batch.");
        var trainSubset = train.Take(Math.Min(trainExamples, train.Count));
        var cases = new[] { false, true }.SelectMany(bn => batchSizes.Select(m => (bn, m))).ToArray();
        var runs = RunQueue.Run(cases.Select(c => new QueuedRun<GapRun>($"{(c.bn ? "with BN" : "without BN")}, batch {c.m}", (p, token) =>
        {
            var steps = examplesSeen / c.m;
            var run = options with { Steps = steps, BatchSize = c.m };
            var (without, with) = Figure1Experiment.CreateNetworks(run);
            var model = c.bn ? with : without;
            Trainer.Train(model, Figure1Experiment.Batches(run, train), null,
                new TrainingOptions { Steps = steps, LearningRate = run.LearningRate, ProgressEvery = Math.Max(1, steps / 20) }, p, token);
            var onTrain = Evaluator.Evaluate(model, trainSubset, Mode.Inference);
            var onTest = Evaluator.Evaluate(model, test, Mode.Inference);
            return new GapRun(c.bn, c.m, steps, onTrain.Accuracy, onTest.Accuracy, onTrain.Loss, onTest.Loss);
        }, Weight: c.m)).ToArray(), options.Parallel, 0, (long)cases.Length * examplesSeen, progress, cancellationToken);
        return new GapResult(runs, examplesSeen);
    }
}
