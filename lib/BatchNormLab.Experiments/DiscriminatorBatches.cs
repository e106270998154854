using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Losses;
using BatchNormLab.Models;
using BatchNormLab.Tensors;

namespace BatchNormLab.Experiments;

/// <summary>How a discriminator's training batches are made.</summary>
public enum DiscriminatorBatching
{
    /// <summary>An all-real batch, then an all-fake batch, and so on (the pattern to avoid).</summary>
    Alternating,

    /// <summary>Every batch half real, half fake.</summary>
    Mixed,
}

/// <summary>One discriminator, measured the ways a GAN uses it.</summary>
/// <param name="Batching">How its training batches were made.</param>
/// <param name="Normalization">What sat between each linear map and its nonlinearity.</param>
/// <param name="TrainingLoss">Mean training loss over the last tenth of the steps (ln 2 ≈ 0.693 = no better than a coin).</param>
/// <param name="TrainingModePureAccuracy">Real-vs-fake accuracy in training mode on all-real and all-fake test batches (what alternating training reports).</param>
/// <param name="TrainingModeMixedAccuracy">The same on 50/50 test batches.</param>
/// <param name="InferenceAccuracy">Accuracy in inference mode: each image judged on its own.</param>
/// <param name="InferenceRealScore">Mean p(real) that inference mode gives real test images.</param>
/// <param name="InferenceFakeScore">Mean p(real) that inference mode gives fakes.</param>
public sealed record DiscriminatorRun(
    DiscriminatorBatching Batching, NormalizationKind Normalization, double TrainingLoss, double TrainingModePureAccuracy, double TrainingModeMixedAccuracy,
    double InferenceAccuracy, double InferenceRealScore, double InferenceFakeScore);

/// <summary>The results of <see cref="DiscriminatorBatches.Run"/>.</summary>
/// <param name="Runs">One row per (batching, normalisation).</param>
/// <param name="FakeFamily">What the fakes are.</param>
/// <param name="Options">Budget (the discriminator is the options' network with a 2-way output).</param>
public sealed record DiscriminatorBatchesResult(IReadOnlyList<DiscriminatorRun> Runs, string FakeFamily, PerilsOptions Options)
{
    /// <summary>The run for a pair.</summary>
    public DiscriminatorRun this[DiscriminatorBatching batching, NormalizationKind normalization] =>
        Runs.FirstOrDefault(r => r.Batching == batching && r.Normalization == normalization)
        ?? throw new KeyNotFoundException($"No run for {batching} with {normalization}.");
}

/// <summary>
/// Peril 2: a GAN discriminator with batch norm trained on all-real and all-fake batches in turn vs on
/// 50/50 batches. Real = Fashion-MNIST; fake = a fixed family (<see cref="FakeImages.Blends"/>) rather than
/// a generator trained alongside: it keeps the measurement about the batches alone, deterministic, and
/// inside a notebook's time budget.
/// </summary>
public static class DiscriminatorBatches
{
    /// <summary>Trains one discriminator per (batching, normalisation) for <see cref="PerilsOptions.Steps"/> steps of <see cref="PerilsOptions.BatchSize"/>.</summary>
    public static DiscriminatorBatchesResult Run(
        Dataset train, Dataset test, PerilsOptions options, IReadOnlyList<NormalizationKind>? normalizations = null,
        IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        normalizations ??= [NormalizationKind.BatchNorm];
        if (options.BatchSize % 2 != 0 || options.BatchSize < 4)
            throw new ArgumentOutOfRangeException(nameof(options), options.BatchSize, "The discriminator's batch size must be even and at least 4 (half real, half fake).");
        var n = PerilsTraining.Count(test, options.EvaluationExamples);
        var realTrain = Relabel(train, 1);
        var fakeTrain = FakeImages.Blends(train, train.Count, options.Seed);
        var realTest = Relabel(test.Take(n), 1);
        var fakeTest = FakeImages.Blends(test, n, options.Seed + 1);
        // Evaluation set: reals then fakes; batches index into it.
        var both = Concat(realTest, fakeTest);
        var m = options.BatchSize;
        var pure = new List<int[]>();
        var mixed = new List<int[]>();
        for (var start = 0; start + m <= n; start += m)
        {
            pure.Add(Enumerable.Range(start, m).ToArray());
            pure.Add(Enumerable.Range(n + start, m).ToArray());
        }
        for (var start = 0; start + m / 2 <= n; start += m / 2)
            mixed.Add(Enumerable.Range(start, m / 2).Concat(Enumerable.Range(n + start, m / 2)).ToArray());

        var runs = new List<DiscriminatorRun>();
        var total = 2L * normalizations.Count * options.Steps;
        foreach (var batching in new[] { DiscriminatorBatching.Alternating, DiscriminatorBatching.Mixed })
        {
            foreach (var kind in normalizations)
            {
                var network = options.Network(kind) with { Sizes = [.. options.Sizes[..^1], 2] };
                var mlp = Mlp<float>.Create(network, options.Seed);
                var half = batching == DiscriminatorBatching.Mixed ? m / 2 : m;
                var real = new MinibatchIterator(realTrain, half, BatchOrder.Shuffled, options.Seed);
                var fake = new MinibatchIterator(fakeTrain, half, BatchOrder.Shuffled, options.Seed + 1);
                IBatchSource batches = batching == DiscriminatorBatching.Alternating ? new AlternatingBatches(real, fake) : new ConcatenatedBatches(real, fake);
                var done = (long)runs.Count * options.Steps;
                var tailLoss = PerilsTraining.Train(mlp, batches, options.Steps, options.LearningRate,
                    ExperimentProgress.Of(progress, $"{batching}, {kind}", done, total), cancellationToken);
                var (realScore, fakeScore) = Scores(mlp, realTest, fakeTest);
                runs.Add(new DiscriminatorRun(batching, kind, tailLoss,
                    PerilsTraining.Accuracy(mlp, both, Mode.Training, pure),
                    PerilsTraining.Accuracy(mlp, both, Mode.Training, mixed),
                    PerilsTraining.Accuracy(mlp, both, Mode.Inference, 500),
                    realScore, fakeScore));
            }
        }
        return new DiscriminatorBatchesResult(runs, "blends of two real images (fixed, not a trained generator)", options);
    }

    private static (double Real, double Fake) Scores(Sequential<float> mlp, Dataset real, Dataset fake)
    {
        mlp.Mode = Mode.Inference;
        var softmax = new SoftmaxCrossEntropy<float>();
        double Mean(Dataset d)
        {
            softmax.Forward(mlp.Forward(d.Images), d.Labels);
            var s = 0.0;
            for (var i = 0; i < d.Count; i++) s += softmax.Probabilities[i, 1];
            return s / d.Count;
        }
        return (Mean(real), Mean(fake));
    }

    private static Dataset Relabel(Dataset d, int label)
    {
        var labels = new int[d.Count];
        Array.Fill(labels, label);
        return new Dataset(d.Name + " (real)", d.Images, labels, ["fake", "real"]);
    }

    private static Dataset Concat(Dataset a, Dataset b)
    {
        var images = new Matrix<float>(a.Count + b.Count, a.Features);
        a.Images.Data.CopyTo(images.Data, 0);
        b.Images.Data.CopyTo(images.Data, a.Images.Data.Length);
        return new Dataset($"{a.Name} + {b.Name}", images, [.. a.Labels, .. b.Labels], ["fake", "real"]);
    }
}
