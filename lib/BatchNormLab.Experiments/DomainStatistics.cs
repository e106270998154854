using BatchNormLab.Data;
using BatchNormLab.Layers;
using BatchNormLab.Models;
using BatchNormLab.Tensors;

namespace BatchNormLab.Experiments;

/// <summary>Test accuracies of one two-domain network.</summary>
/// <param name="SeparateStatistics">Whether each domain had its own batch norm layers.</param>
/// <param name="InferenceAccuracyA">Domain A (the original images), inference mode.</param>
/// <param name="InferenceAccuracyB">Domain B (the transformed copy), inference mode.</param>
/// <param name="TrainingModeAccuracyA">Domain A in training mode (single-domain test batches, as in training).</param>
/// <param name="TrainingModeAccuracyB">Domain B in training mode.</param>
/// <param name="RunningMeanDistance">Layer 1: mean over features of |running mean − the domain's own batch mean| averaged over both domains, in units of the running standard deviation.</param>
public sealed record DomainStatisticsRun(
    bool SeparateStatistics, double InferenceAccuracyA, double InferenceAccuracyB,
    double TrainingModeAccuracyA, double TrainingModeAccuracyB, double RunningMeanDistance)
{
    /// <summary>Mean inference accuracy over both domains.</summary>
    public double InferenceAccuracy => (InferenceAccuracyA + InferenceAccuracyB) / 2;

    /// <summary>Mean training-mode accuracy over both domains.</summary>
    public double TrainingModeAccuracy => (TrainingModeAccuracyA + TrainingModeAccuracyB) / 2;
}

/// <summary>The results of <see cref="DomainStatistics.Run"/>: shared statistics, separate statistics, and the control without normalisation.</summary>
/// <param name="Shared">BN statistics shared by the domains.</param>
/// <param name="Separate">One set of BN layers per domain.</param>
/// <param name="PlainAccuracyA">The control: the same network without normalisation, same batches and seed; domain A test accuracy.</param>
/// <param name="PlainAccuracyB">The control on domain B.</param>
/// <param name="DomainB">Name of the second domain.</param>
/// <param name="Options">Network and budget.</param>
public sealed record DomainStatisticsResult(DomainStatisticsRun Shared, DomainStatisticsRun Separate, double PlainAccuracyA, double PlainAccuracyB, string DomainB, PerilsOptions Options)
{
    /// <summary>The control's mean accuracy over both domains.</summary>
    public double PlainAccuracy => (PlainAccuracyA + PlainAccuracyB) / 2;
}

/// <summary>
/// Peril 4: one network (shared weights) trained on two domains in alternating single-domain batches, with
/// batch norm's statistics shared between the domains or kept per domain. In training mode each batch is
/// normalised with its own domain's statistics either way; shared running estimates settle on the mixture.
/// </summary>
public static class DomainStatistics
{
    /// <summary>The default second domain: washed-out images, x ↦ 0.3 + 0.7 x (brighter background, less contrast).</summary>
    public static float WashedOut(float x) => 0.3f + 0.7f * x;

    /// <summary>Inverted intensities, x ↦ 1 − x.</summary>
    public static float Inverted(float x) => 1 - x;

    /// <summary>
    /// Domain A = <paramref name="train"/>/<paramref name="test"/>, domain B = the same images under
    /// <paramref name="transform"/>; <see cref="PerilsOptions.Steps"/> steps in total, alternating A and B.
    /// The default, <see cref="WashedOut"/>, moves every first-layer input by a shift and a scale that
    /// batch statistics remove, so in training mode both domains look alike and only the running estimates
    /// differ. <see cref="Inverted"/> also flips the sign of every centred first-layer input, which a shared
    /// γ, β must then serve both ways: a harder problem that sharing can fail even in training mode.
    /// </summary>
    public static DomainStatisticsResult Run(
        Dataset train, Dataset test, PerilsOptions options, Func<float, float>? transform = null, string domainB = "washed out",
        IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        ArgumentNullException.ThrowIfNull(options);
        transform ??= WashedOut;
        var n = PerilsTraining.Count(test, options.EvaluationExamples);
        var trainSets = new[] { train, train.Transform(transform, $"{train.Name} ({domainB})") };
        var testSets = new[] { test.Take(n), test.Take(n).Transform(transform, $"{test.Name} ({domainB})") };
        var runs = new List<DomainStatisticsRun>();
        AlternatingBatches Batches() => new(
            new MinibatchIterator(trainSets[0], options.BatchSize, BatchOrder.Shuffled, options.Seed),
            new MinibatchIterator(trainSets[1], options.BatchSize, BatchOrder.Shuffled, options.Seed + 1));
        foreach (var separate in new[] { false, true })
        {
            var net = new TwoDomainNetwork(options.Network(NormalizationKind.BatchNorm), separate, options.Seed);
            var batches = Batches();
            var stage = separate ? "separate statistics" : "shared statistics";
            PerilsTraining.Train(net.Model, batches, options.Steps, options.LearningRate,
                ExperimentProgress.Of(progress, stage, runs.Count * (long)options.Steps, 3L * options.Steps), cancellationToken, [net.AlternateDomains()]);
            var distance = 0.0;
            for (var domain = 0; domain < 2; domain++) distance += Layer1MeanDistance(net, domain, testSets[domain]) / 2;
            runs.Add(new DomainStatisticsRun(separate,
                Accuracy(net, 0, testSets[0], Mode.Inference, 500), Accuracy(net, 1, testSets[1], Mode.Inference, 500),
                Accuracy(net, 0, testSets[0], Mode.Training, options.BatchSize), Accuracy(net, 1, testSets[1], Mode.Training, options.BatchSize),
                distance));
        }
        // The control: no normalisation, so nothing to share; what is left is how hard the two domains are together.
        var plain = Mlp<float>.Create(options.Network(NormalizationKind.None), options.Seed);
        PerilsTraining.Train(plain, Batches(), options.Steps, options.LearningRate,
            ExperimentProgress.Of(progress, "no normalisation", 2L * options.Steps, 3L * options.Steps), cancellationToken);
        return new DomainStatisticsResult(runs[0], runs[1],
            PerilsTraining.Accuracy(plain, testSets[0], Mode.Inference, 500), PerilsTraining.Accuracy(plain, testSets[1], Mode.Inference, 500),
            domainB, options);
    }

    private static double Accuracy(TwoDomainNetwork net, int domain, Dataset data, Mode mode, int batchSize) =>
        PerilsTraining.Accuracy(net.For(domain), data, mode, PerilsTraining.ConsecutiveBatches(data.Count, batchSize));

    private static double Layer1MeanDistance(TwoDomainNetwork net, int domain, Dataset data)
    {
        var model = net.For(domain);
        var bn = net.BatchNorms(domain)[0];
        var saved = RunningStatistics<float>.Capture(model);
        var mean = (float[])bn.RunningMean.Clone();
        var variance = (float[])bn.RunningVariance.Clone();
        model.Mode = Mode.Training;
        try
        {
            // One large training-mode batch gives the domain's own μ_B of layer 1.
            model.Forward(data.Images.SliceRows(0, Math.Min(1000, data.Count)));
            var distance = 0.0;
            for (var j = 0; j < bn.Features; j++)
                distance += Math.Abs(mean[j] - bn.BatchMean[j]) / Math.Sqrt(variance[j] + 1e-5);
            return distance / bn.Features;
        }
        finally
        {
            saved.Restore();
            model.Mode = Mode.Inference;
        }
    }
}
