using BatchNormLab.Data;
using BatchNormLab.Models;
using BatchNormLab.Training;

namespace BatchNormLab.Experiments;

/// <summary>
/// Ioffe &amp; Szegedy (2015), Figure 1, on Fashion-MNIST: the same sigmoid MLP trained with and
/// without batch norm before every sigmoid, from the same initial weights on the same minibatches,
/// recording test accuracy, training loss and the distribution of every hidden layer's sigmoid input.
/// </summary>
/// <remarks>
/// Deterministic: the only randomness is the weights' and the batch order's, both from
/// <see cref="Figure1Options.Seed"/>. The two networks train one after the other on the calling thread.
/// </remarks>
public static class Figure1Experiment
{
    /// <summary>Label of the run without batch norm.</summary>
    public const string WithoutLabel = "without BN";

    /// <summary>Label of the run with batch norm.</summary>
    public const string WithLabel = "with BN";

    /// <summary>Runs the pair on Fashion-MNIST (loaded from the repository's data/ folder).</summary>
    public static Figure1Result Run(Figure1Options options)
    {
        var data = FashionMnist.Load();
        return Run(options, data.Train, data.Test);
    }

    /// <summary>Runs the pair on <paramref name="train"/>, evaluating on <paramref name="test"/>.</summary>
    public static Figure1Result Run(Figure1Options options, Dataset train, Dataset test) =>
        Run(options, train, test, runOffset: 0, runCount: 2, labelSuffix: "");

    /// <summary>
    /// The two networks for <paramref name="options"/>: without and with BN, built from the same seed.
    /// Every weight matrix is the same in both (the BN network's hidden layers only lack the biases,
    /// which start at zero anyway).
    /// </summary>
    public static (Mlp<float> Without, Mlp<float> With) CreateNetworks(Figure1Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var net = options.Network();
        return (Mlp<float>.Create(net, options.Seed), Mlp<float>.Create(net.WithBatchNorm(), options.Seed));
    }

    /// <summary>The minibatch source of one run: shuffled every epoch from the options' seed (so both runs see the same batches).</summary>
    public static MinibatchIterator Batches(Figure1Options options, Dataset train)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(train);
        return new MinibatchIterator(train, options.BatchSize, BatchOrder.Shuffled, options.Seed);
    }

    internal static Figure1Result Run(Figure1Options options, Dataset train, Dataset test, int runOffset, int runCount, string labelSuffix)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        if (train.Features != options.Sizes[0])
            throw new ArgumentException($"Shape mismatch: '{train.Name}' has {train.Features} features, the network takes {options.Sizes[0]}.", nameof(train));
        var (without, with) = CreateNetworks(options);
        var plain = Train(options, without, train, test, WithoutLabel + labelSuffix, runOffset, runCount);
        var bn = Train(options, with, train, test, WithLabel + labelSuffix, runOffset + 1, runCount);
        return new Figure1Result(options, plain, bn);
    }

    private static TrainingHistory Train(Figure1Options options, Mlp<float> model, Dataset train, Dataset test, string label, int index, int count)
    {
        var report = options.Progress;
        Action<TrainingProgress>? progress = report is null ? null : p => report(new ExperimentProgress(label, index, count, p));
        return Trainer.Train(model, Batches(options, train), test, options.Training(progress));
    }
}
