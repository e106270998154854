using BatchNormLab.Data;
using BatchNormLab.Models;

namespace BatchNormLab.Experiments;

/// <summary>
/// Notebook 06's comparison: a small CNN (conv → [BatchNorm2d] → ReLU → max pool, twice; a dense head) on
/// Fashion-MNIST, without and with spatial batch norm, from the same initial weights (the BN network's
/// convolutions only lack the biases, which start at zero) on the same minibatches, with the library's one
/// <see cref="Training.Trainer"/>. Records test accuracy, training loss and the per-channel statistics of one block.
/// </summary>
public static class CnnExperiment
{
    /// <summary>Label of the run without batch norm.</summary>
    public const string WithoutLabel = "without BN";

    /// <summary>Label of the run with batch norm.</summary>
    public const string WithLabel = "with BN";

    /// <summary>The two networks for <paramref name="options"/>, built from the same seed.</summary>
    public static (Sequential<float> Without, Sequential<float> With) CreateNetworks(CnnExperimentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var net = options.Network with { BatchNorm = false };
        return (Cnn<float>.Create(net, options.Seed), Cnn<float>.Create(net.WithBatchNorm(), options.Seed));
    }

    /// <summary>The minibatches of one run: shuffled every epoch from the options' seed (both runs see the same).</summary>
    public static MinibatchIterator Batches(CnnExperimentOptions options, Dataset train)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(train);
        return new MinibatchIterator(train, options.BatchSize, BatchOrder.Shuffled, options.Seed);
    }

    /// <summary>Trains the pair on <paramref name="train"/>, evaluating on <paramref name="test"/>.</summary>
    public static CnnExperimentResult Run(CnnExperimentOptions options, Dataset train, Dataset test,
        IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        options.Validate();
        if (train.Features != options.Network.Input.Size)
            throw new ArgumentException(
                $"Shape mismatch: '{train.Name}' has {train.Features} features per example, the network takes {options.Network.Input} = {options.Network.Input.Size}.", nameof(train));
        var (without, with) = CreateNetworks(options);
        var recorders = new[] { new ChannelStatisticsRecorder(options.StatisticsBlock, options.StatisticsEvery), new ChannelStatisticsRecorder(options.StatisticsBlock, options.StatisticsEvery) };
        var histories = SideBySide.Train(
            [new(WithoutLabel, without, Batches(options, train), [recorders[0]]), new(WithLabel, with, Batches(options, train), [recorders[1]])],
            test, options.Training(), options.Parallel, 0, 2L * options.Steps, progress, cancellationToken);
        return new CnnExperimentResult(options, histories[0], histories[1], without, with, recorders[0].Series, recorders[1].Series);
    }
}
