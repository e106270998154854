using BatchNormLab.Models;

namespace BatchNormLab.Experiments;

/// <summary>Generated images at one point of training (the same noise vectors every time).</summary>
/// <param name="Step">Generator steps done.</param>
/// <param name="Images">One 784-value row per image, pixels in [0, 1].</param>
public sealed record GanSnapshot(int Step, float[][] Images);

/// <summary>What one GAN run recorded, and how its discriminator judges held-out real images and fresh fakes.</summary>
/// <param name="Options">The run's settings.</param>
/// <param name="DiscriminatorLoss">D's cross-entropy per generator step (the mean of its two batches; ln 2 = a coin flip).</param>
/// <param name="GeneratorLoss">G's loss −log D(G(z)) per generator step.</param>
/// <param name="Snapshots">Generated images over training.</param>
/// <param name="PureBatchAccuracy">D's real-vs-fake accuracy in training mode on all-real and all-fake batches.</param>
/// <param name="MixedBatchAccuracy">The same on 50/50 batches.</param>
/// <param name="InferenceAccuracy">The same in inference mode (running estimates: each image judged alone).</param>
/// <param name="FakeScoreAmongFakes">Mean p(real) D gives a fake in an all-fake batch (training mode).</param>
/// <param name="FakeScoreAmongReals">Mean p(real) D gives the same fake placed in a batch of real images (training mode).</param>
/// <param name="BatchKindFromStatistics">Fraction of held-out all-real/all-fake batches whose kind the nearest centroid of the batch mean μ_B at D's first normalisation layer names correctly (NaN without BN).</param>
/// <param name="MeanPixelReal">Mean pixel value of real test images.</param>
/// <param name="MeanPixelFake">Mean pixel value of fresh fakes.</param>
/// <param name="Seconds">Wall-clock time of the training.</param>
public sealed record GanRun(
    GanOptions Options, double[] DiscriminatorLoss, double[] GeneratorLoss, IReadOnlyList<GanSnapshot> Snapshots,
    double PureBatchAccuracy, double MixedBatchAccuracy, double InferenceAccuracy,
    double FakeScoreAmongFakes, double FakeScoreAmongReals, double BatchKindFromStatistics,
    double MeanPixelReal, double MeanPixelFake, double Seconds)
{
    /// <summary>The batching regime.</summary>
    public GanBatching Batching => Options.Batching;

    /// <summary>The discriminator's normalisation.</summary>
    public NormalizationKind Normalization => Options.DiscriminatorNormalization;

    /// <summary>Mean of a loss curve over its last tenth.</summary>
    public static double Tail(IReadOnlyList<double> curve)
    {
        ArgumentNullException.ThrowIfNull(curve);
        var n = Math.Max(1, curve.Count / 10);
        return curve.Skip(curve.Count - n).Average();
    }
}
