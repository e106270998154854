using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>
/// A fair version of Figure 1(a): the pair at the shared rate (the paper's setting) over several seeds, and
/// each network at its own best rate, chosen on a validation split carved from the training set (never on
/// the test set); every network measured at the end on the training and the test set, BN both with its
/// moving averages and with population statistics recomputed over the training set (Algorithm 2).
/// </summary>
/// <remarks>
/// Order: the rate-selection runs (short, on the training set minus the validation split), then every
/// full-length run on the whole training set, two at a time. A network whose best rate is the shared rate
/// reuses its shared run of the first seed (same seed, rate and data: the same bits).
/// </remarks>
public static class Figure1Comparison
{
    /// <summary>Steps at the end of a run over which <see cref="Figure1Final.FinalTrainLoss"/> is averaged.</summary>
    public const int LossWindow = 1_000;

    /// <summary>Runs the comparison on <paramref name="train"/>, testing on <paramref name="test"/>.</summary>
    public static Figure1ComparisonResult Run(Figure1ComparisonOptions options, Dataset train, Dataset test,
        IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        options.Validate();
        if (options.ValidationSize >= train.Count) throw new ArgumentException($"A validation split of {options.ValidationSize} leaves nothing to train on in '{train.Name}' ({train.Count}).", nameof(options));
        var b = options.Baseline;
        var steps = b.Steps;
        var selectionTotal = 2L * options.Rates.Length * options.SelectionSteps;
        var sharedTotal = 2L * options.Seeds.Length * steps;

        // 1. Rate selection on a validation split carved from the training set.
        var (fit, validation) = Split(train, options.ValidationSize, options.ValidationSeed);
        var selection = new List<RunJob>();
        foreach (var rate in options.Rates)
        {
            var o = b with { Steps = options.SelectionSteps, LearningRate = rate, Seed = options.Seeds[0], EvaluateEvery = Math.Max(1, options.SelectionSteps / 10), EvaluateAtStart = false, ProbeEvery = 0, HistogramSteps = [] };
            var (without, with) = Figure1Experiment.CreateNetworks(o);
            selection.Add(new RunJob($"selection, without BN, η = {rate:G4}", without, Figure1Experiment.Batches(o, fit), o.Training(), validation, null));
            selection.Add(new RunJob($"selection, with BN, η = {rate:G4}", with, Figure1Experiment.Batches(o, fit), o.Training(), validation, null));
        }
        var selected = RunQueue.Run(selection, b.Parallel, 0, selectionTotal + sharedTotal + 2L * steps, progress, cancellationToken);
        double Score(TrainingHistory h) => h.DivergedAtStep is not null ? double.NaN : h.TestAccuracy.TakeLast(3).Average();
        var validationWithout = Enumerable.Range(0, options.Rates.Length).Select(i => Score(selected[2 * i])).ToArray();
        var validationWith = Enumerable.Range(0, options.Rates.Length).Select(i => Score(selected[2 * i + 1])).ToArray();
        var bestWithout = Best(options.Rates, validationWithout, "without BN");
        var bestWith = Best(options.Rates, validationWith, "with BN");

        // 2. Every full-length run on the whole training set.
        var recording = new Figure1RecordingOptions { EvaluationSteps = options.EvaluationSteps() };
        var jobs = new List<(RunJob Job, bool BatchNorm, double Rate, int Seed)>();
        void Add(bool batchNorm, double rate, int seed)
        {
            var o = b with { LearningRate = rate, Seed = seed, EvaluateEvery = steps, EvaluateAtStart = false, ProbeEvery = 0, HistogramSteps = [] };
            var nets = Figure1Experiment.CreateNetworks(o);
            var model = batchNorm ? nets.With : nets.Without;
            var label = $"{(batchNorm ? Figure1Experiment.WithLabel : Figure1Experiment.WithoutLabel)}, η = {rate:G4}, seed {seed}";
            jobs.Add((new RunJob(label, model, Figure1Experiment.Batches(o, train), o.Training(), test, new Figure1Recorder(model, recording, test, steps)), batchNorm, rate, seed));
        }
        foreach (var seed in options.Seeds)
        {
            Add(false, b.LearningRate, seed);
            Add(true, b.LearningRate, seed);
        }
        if (bestWithout != b.LearningRate) Add(false, bestWithout, options.Seeds[0]);
        if (bestWith != b.LearningRate) Add(true, bestWith, options.Seeds[0]);
        var total = selectionTotal + (long)jobs.Count * steps;
        var histories = RunQueue.Run(jobs.Select(j => j.Job).ToArray(), b.Parallel, selectionTotal, total, progress, cancellationToken);

        // 3. Final measurements (BN: moving averages first, then population statistics).
        var runs = jobs.Select((j, i) => new Figure1Run(j.BatchNorm, j.Rate, j.Seed, histories[i], j.Job.Recorder!.Recording,
            Measure(j.Job.Model, histories[i], train, test, j.Job.Recorder.Recording))).ToArray();
        var shared = runs.Where(r => r.LearningRate == b.LearningRate).ToArray();
        Figure1Run Own(bool batchNorm, double rate) =>
            runs.First(r => r.BatchNorm == batchNorm && r.LearningRate == rate && r.Seed == options.Seeds[0]);
        return new Figure1ComparisonResult
        {
            Options = options,
            SharedWithout = options.Seeds.Select(s => shared.First(r => !r.BatchNorm && r.Seed == s)).ToArray(),
            SharedWith = options.Seeds.Select(s => shared.First(r => r.BatchNorm && r.Seed == s)).ToArray(),
            ValidationWithout = validationWithout,
            ValidationWith = validationWith,
            BestRateWithout = bestWithout,
            BestRateWith = bestWith,
            OwnWithout = Own(false, bestWithout),
            OwnWith = Own(true, bestWith),
        };
    }

    /// <summary>
    /// Splits <paramref name="train"/> into a fitting part and <paramref name="validationSize"/> validation
    /// images, chosen by a seeded shuffle; the two never share an image.
    /// </summary>
    public static (Dataset Fit, Dataset Validation) Split(Dataset train, int validationSize, int seed)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (validationSize <= 0 || validationSize >= train.Count)
            throw new ArgumentOutOfRangeException(nameof(validationSize), validationSize, $"The validation split must hold 1..{train.Count - 1} of '{train.Name}'s images.");
        var order = Enumerable.Range(0, train.Count).ToArray();
        new Random(seed).Shuffle(order);
        return (train.Subset(order[validationSize..], $"{train.Name} minus validation"), train.Subset(order[..validationSize], $"{train.Name} validation split"));
    }

    /// <summary>
    /// Accuracy of a trained network on the training and test sets, BN with its moving averages; then, for a
    /// network with BN, again after <see cref="Recalibration.Recompute"/> over the training set (this changes
    /// the model's running estimates).
    /// </summary>
    public static Figure1Final Measure(Sequential<float> model, TrainingHistory history, Dataset train, Dataset test, Figure1Recording? recording = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(history);
        var evaluator = new Evaluator();
        var trainAccuracy = evaluator.Run(model, train, Mode.Inference).Accuracy;
        var testAccuracy = recording is { TestAccuracy.Length: > 0 } && recording.EvaluationSteps[^1] == history.Steps
            ? recording.TestAccuracy[^1] : evaluator.Run(model, test, Mode.Inference).Accuracy;
        var loss = history.StepLoss.TakeLast(LossWindow).Average(l => (double)l);
        if (model.Normalizations.Count == 0) return new Figure1Final(trainAccuracy, testAccuracy, double.NaN, double.NaN, loss);
        Recalibration.Recompute(model, train);
        return new Figure1Final(trainAccuracy, testAccuracy,
            evaluator.Run(model, train, Mode.Inference).Accuracy, evaluator.Run(model, test, Mode.Inference).Accuracy, loss);
    }

    private static double Best(double[] rates, double[] scores, string network)
    {
        var best = -1;
        for (var i = 0; i < rates.Length; i++)
            if (!double.IsNaN(scores[i]) && (best < 0 || scores[i] > scores[best])) best = i;
        return best >= 0 ? rates[best] : throw new InvalidOperationException($"Every rate-selection run {network} diverged; try smaller rates.");
    }
}
