using System.Diagnostics;
using BatchNormLab.Activations;
using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Normalization;
using BatchNormLab.Tensors;
using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>
/// Peril 2: a real GAN on Fashion-MNIST with batch norm in the discriminator D, trained on alternating
/// all-real/all-fake batches or on 50/50 batches. D is trained by the library's <see cref="Trainer"/> (2-way
/// softmax cross-entropy, real = 1, fake = 0) on batches that <see cref="GeneratedBatches"/> fills with fresh
/// fakes; the generator's step is an observer (<see cref="GeneratorStep"/>) that runs after every second D update.
/// </summary>
public static class Gan
{
    /// <summary>Label of a generated image.</summary>
    public const int Fake = 0;

    /// <summary>Label of a real image.</summary>
    public const int Real = 1;

    /// <summary>The generator: z → dense (He) → ReLU → dense → sigmoid (pixels in [0, 1], like the data).</summary>
    public static Sequential<float> Generator(GanOptions options, Random rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(rng);
        return new Sequential<float>(options.NoiseSize, FashionMnist.Features,
        [
            new Dense<float>("g.dense1", WeightInit.Create<float>(WeightInitScheme.He, options.NoiseSize, options.Hidden, 1.0, rng), bias: true) { ComputeInputGradient = false },
            new ActivationLayer<float>("g.relu1", Activation.ReLU),
            new Dense<float>("g.dense2", WeightInit.Create<float>(WeightInitScheme.Xavier, options.Hidden, FashionMnist.Features, 1.0, rng), bias: true),
            new ActivationLayer<float>("g.sigmoid", Activation.Sigmoid),
        ]);
    }

    /// <summary>The discriminator: 784 → dense → (normalisation) → ReLU → 2 logits; it passes ∂ℓ/∂input on to G.</summary>
    public static Sequential<float> Discriminator(GanOptions options, Random rng)
    {
        ArgumentNullException.ThrowIfNull(options);
        var d = Mlp<float>.Create(new MlpOptions
        {
            Sizes = [FashionMnist.Features, options.Hidden, 2],
            Activation = Activation.ReLU,
            Normalization = options.DiscriminatorNormalization,
            Init = WeightInitScheme.He,
            InitScale = 1.0,
        }, rng);
        ((Dense<float>)d.Layers[0]).ComputeInputGradient = true;
        return d;
    }

    /// <summary>Trains one GAN and measures its discriminator on the first <paramref name="evaluationExamples"/> test images and as many fresh fakes.</summary>
    public static GanRun Run(Dataset train, Dataset test, GanOptions options, int evaluationExamples = 1000,
        IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var rng = new Random(options.Seed);
        var generator = Generator(options, rng);
        var discriminator = Discriminator(options, rng);
        var realTrain = Relabel(train, Real);
        var mixed = options.Batching == GanBatching.Mixed;
        var half = mixed ? options.BatchSize / 2 : options.BatchSize;
        var real = new MinibatchIterator(realTrain, half, BatchOrder.Shuffled, options.Seed);
        var fakes = new GeneratedBatches(generator, half, options.Seed + 1);
        IBatchSource batches = mixed ? new ConcatenatedBatches(real, fakes) : new AlternatingBatches(real, fakes);

        var fixedNoise = new Matrix<float>(options.SnapshotImages, options.NoiseSize);
        GeneratedBatches.Noise(fixedNoise, new Random(options.Seed + 4));
        var snapshots = new List<GanSnapshot>();
        void Snapshot(int step)
        {
            if (!options.SnapshotSteps.Contains(step)) return;
            var images = generator.Forward(fixedNoise);
            snapshots.Add(new GanSnapshot(step, Enumerable.Range(0, images.Rows).Select(i => images.Row(i).ToArray()).ToArray()));
        }
        Snapshot(0);
        var step = new GeneratorStep(generator, half, options.GeneratorLearningRate, options.Momentum,
            mixed ? new MinibatchIterator(realTrain, half, BatchOrder.Shuffled, options.Seed + 2) : null, options.Seed + 3)
        {
            AfterGeneratorStep = Snapshot,
        };

        var clock = Stopwatch.StartNew();
        var steps = 2 * options.GeneratorSteps;
        var history = Trainer.Train(discriminator, batches, test: null,
            new TrainingOptions { Steps = steps, LearningRate = options.DiscriminatorLearningRate, Momentum = options.Momentum, ProgressEvery = 50 },
            ExperimentProgress.Of(progress, $"{options.Batching}, D with {options.DiscriminatorNormalization}", 0, steps), cancellationToken, [step]);
        var seconds = clock.Elapsed.TotalSeconds;
        if (history.DivergedAtStep is not null) throw new ArithmeticException(history.Problems[^1].Message);
        var dLoss = Enumerable.Range(0, history.Steps / 2).Select(k => 0.5 * (history.StepLoss[2 * k] + history.StepLoss[2 * k + 1])).ToArray();

        // Held-out judgement: real test images (rows 0..n−1) and fresh fakes (rows n..2n−1).
        var n = PerilsTraining.Count(test, evaluationExamples);
        var realTest = Relabel(test.Take(n), Real);
        var fakeTest = Fakes(generator, n, options.Seed + 5);
        var both = Concat(realTest, fakeTest);
        var m = options.BatchSize;
        var pure = new List<int[]>();
        for (var start = 0; start + m <= n; start += m)
        {
            pure.Add(Enumerable.Range(start, m).ToArray());
            pure.Add(Enumerable.Range(n + start, m).ToArray());
        }
        var mixedBatches = new List<int[]>();
        for (var start = 0; start + m / 2 <= n; start += m / 2)
            mixedBatches.Add(Enumerable.Range(start, m / 2).Concat(Enumerable.Range(n + start, m / 2)).ToArray());
        var inference = PerilsTraining.Accuracy(discriminator, both, Mode.Inference, 500);
        var pureAccuracy = PerilsTraining.Accuracy(discriminator, both, Mode.Training, pure);
        var mixedAccuracy = PerilsTraining.Accuracy(discriminator, both, Mode.Training, mixedBatches);

        var saved = RunningStatistics<float>.Capture(discriminator);
        discriminator.Mode = Mode.Training;
        var amongFakes = pure.Where(b => b[0] >= n).Take(4).SelectMany(b => RealScores(discriminator, both, b)).Average();
        var amongReals = Enumerable.Range(0, Math.Min(m, n)).Select(k =>
        {
            var batch = Enumerable.Range(0, m - 1).Append(n + k).ToArray();   // m − 1 real images and fake k
            return RealScores(discriminator, both, batch)[^1];
        }).Average();
        var kind = BatchKindFromStatistics(discriminator, both, pure, n);
        saved.Restore();
        discriminator.Mode = Mode.Inference;

        return new GanRun(options, dLoss, [.. step.Losses], snapshots, pureAccuracy, mixedAccuracy, inference,
            amongFakes, amongReals, kind, realTest.Images.Data.Average(), fakeTest.Images.Data.Average(), seconds);
    }

    /// <summary><paramref name="count"/> fakes from <paramref name="generator"/> (label <see cref="Fake"/>), noise from <paramref name="seed"/>.</summary>
    public static Dataset Fakes(Sequential<float> generator, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var z = new Matrix<float>(count, generator.InputSize);
        GeneratedBatches.Noise(z, new Random(seed));
        var images = generator.Forward(z).Clone();
        return new Dataset("fakes", images, new int[count], ["fake", "real"]);
    }

    // p(real) for each row of one batch, in the model's current mode.
    private static double[] RealScores(Sequential<float> d, Dataset data, int[] rows)
    {
        var logits = d.Forward(data.Subset(rows).Images);
        return Enumerable.Range(0, rows.Length).Select(i => 1 / (1 + Math.Exp(logits[i, Fake] - logits[i, Real]))).ToArray();
    }

    // Nearest-centroid on μ_B of D's first BN layer: centroids from even-numbered batches of each kind, judged on the odd ones.
    private static double BatchKindFromStatistics(Sequential<float> d, Dataset data, List<int[]> pure, int n)
    {
        var bn = d.LayersOf<BatchNorm<float>>().FirstOrDefault();
        if (bn is null) return double.NaN;
        var stats = pure.Select(b =>
        {
            d.Forward(data.Subset(b).Images);
            return (Real: b[0] < n, Mean: bn.BatchMean.ToArray().Select(v => (double)v).ToArray());
        }).ToList();
        double[] Centroid(bool isReal)
        {
            var rows = stats.Where((s, i) => s.Real == isReal && i % 4 < 2).Select(s => s.Mean).ToList();
            return Enumerable.Range(0, rows[0].Length).Select(j => rows.Average(r => r[j])).ToArray();
        }
        var cReal = Centroid(true);
        var cFake = Centroid(false);
        double Dist(double[] a, double[] b) => a.Zip(b, (p, q) => (p - q) * (p - q)).Sum();
        var held = stats.Where((s, i) => i % 4 >= 2).ToList();
        return held.Count(s => Dist(s.Mean, cReal) < Dist(s.Mean, cFake) == s.Real) / (double)held.Count;
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
