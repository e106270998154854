using BatchNormLab.Models;

namespace BatchNormLab.Experiments;

/// <summary>
/// A small GAN on Fashion-MNIST: generator z → 256 ReLU → 784 sigmoid, discriminator 784 → 256 → (norm) → ReLU → 2,
/// both trained by SGD with momentum. The discriminator takes two steps (one real and one fake batch of
/// <see cref="BatchSize"/>, or two 50/50 batches) for every generator step.
/// </summary>
public sealed record GanOptions
{
    /// <summary>How the discriminator's batches are made.</summary>
    public GanBatching Batching { get; init; } = GanBatching.Alternating;

    /// <summary>What sits between the discriminator's hidden linear map and its ReLU.</summary>
    public NormalizationKind DiscriminatorNormalization { get; init; } = NormalizationKind.BatchNorm;

    /// <summary>Size of the noise vector z (standard Gaussian).</summary>
    public int NoiseSize { get; init; } = 32;

    /// <summary>Hidden width of both networks.</summary>
    public int Hidden { get; init; } = 256;

    /// <summary>Examples per discriminator batch (even: a mixed batch is half real, half fake); also the generator's batch of fakes.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Generator steps (the discriminator takes twice as many).</summary>
    public int GeneratorSteps { get; init; } = 400;

    /// <summary>η of the discriminator's SGD.</summary>
    public double DiscriminatorLearningRate { get; init; } = 0.02;

    /// <summary>η of the generator's SGD.</summary>
    public double GeneratorLearningRate { get; init; } = 0.1;

    /// <summary>SGD momentum of both networks.</summary>
    public double Momentum { get; init; } = 0.5;

    /// <summary>Generator steps at which the fixed noise vectors are rendered (step 0 = before training).</summary>
    public int[] SnapshotSteps { get; init; } = [0, 50, 100, 200, 400];

    /// <summary>Images per snapshot (the same noise vectors every time).</summary>
    public int SnapshotImages { get; init; } = 8;

    /// <summary>Seed of the weights, the noise and the data order.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Throws naming the bad setting.</summary>
    public void Validate()
    {
        if (BatchSize < 4 || BatchSize % 2 != 0)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "The GAN's batch size must be even and at least 4 (a mixed batch is half real, half fake).");
        if (GeneratorSteps <= 0) throw new ArgumentOutOfRangeException(nameof(GeneratorSteps), GeneratorSteps, "Train the generator for at least one step.");
        if (NoiseSize <= 0 || Hidden <= 0) throw new ArgumentOutOfRangeException(nameof(NoiseSize), "Noise size and hidden width must be positive.");
        if (SnapshotSteps.Any(s => s < 0 || s > GeneratorSteps))
            throw new ArgumentOutOfRangeException(nameof(SnapshotSteps), $"Snapshot steps must lie in 0..{GeneratorSteps} (the generator steps).");
    }
}
