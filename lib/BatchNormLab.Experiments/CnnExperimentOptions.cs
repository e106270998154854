using BatchNormLab.Models;
using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>
/// The setup of notebook 06's comparison: a small CNN on Fashion-MNIST trained with and without spatial batch
/// norm from the same initial weights on the same minibatches, with the same SGD settings.
/// </summary>
public sealed record CnnExperimentOptions
{
    /// <summary>The network without BN (the BN network is the same with <see cref="CnnOptions.WithBatchNorm"/>). Default: blocks of 8 and 16 channels.</summary>
    public CnnOptions Network { get; init; } = new() { Channels = [8, 16] };

    /// <summary>SGD updates per network.</summary>
    public int Steps { get; init; } = 1_000;

    /// <summary>Minibatch size m.</summary>
    public int BatchSize { get; init; } = 60;

    /// <summary>η, the same for both networks.</summary>
    public double LearningRate { get; init; } = 0.1;

    /// <summary>SGD momentum μ (0 = plain SGD).</summary>
    public double Momentum { get; init; }

    /// <summary>Seed of the initial weights and of the minibatch order (the same for both networks).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Test evaluations every this many steps (step 0 included).</summary>
    public int EvaluateEvery { get; init; } = 100;

    /// <summary>Record the per-channel statistics of <see cref="StatisticsBlock"/> every this many steps.</summary>
    public int StatisticsEvery { get; init; } = 20;

    /// <summary>The block whose channels are recorded (1 = the first convolution).</summary>
    public int StatisticsBlock { get; init; } = 2;

    /// <summary>Train the two networks on two threads (bit-identical to one after the other).</summary>
    public bool Parallel { get; init; } = true;

    /// <summary>Report progress every this many steps as well as at evaluations.</summary>
    public int ProgressEvery { get; init; } = 50;

    /// <summary>Throws a clear error for settings that cannot work.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Network);
        if (Steps <= 0) throw new ArgumentOutOfRangeException(nameof(Steps), Steps, "Steps must be positive.");
        if (BatchSize < 2) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "Batch norm needs a batch of at least 2 in training.");
        if (EvaluateEvery <= 0) throw new ArgumentOutOfRangeException(nameof(EvaluateEvery), EvaluateEvery, "EvaluateEvery must be positive.");
        if (StatisticsEvery <= 0) throw new ArgumentOutOfRangeException(nameof(StatisticsEvery), StatisticsEvery, "StatisticsEvery must be positive.");
        if (StatisticsBlock < 1 || StatisticsBlock > Network.Channels.Length)
            throw new ArgumentOutOfRangeException(nameof(StatisticsBlock), StatisticsBlock, $"The network has blocks 1..{Network.Channels.Length}.");
    }

    /// <summary>The trainer's options for one network.</summary>
    public TrainingOptions Training() => new()
    {
        Steps = Steps,
        LearningRate = LearningRate,
        Momentum = Momentum,
        EvaluateEvery = EvaluateEvery,
        EvaluateAtStart = true,
        ProgressEvery = ProgressEvery,
    };
}
