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
/// <see cref="Figure1Options.Seed"/>. The two networks train on two threads (or one after the other,
/// <see cref="Figure1Options.Parallel"/>) with the library's <see cref="Trainer"/>; the result holds both
/// histories and both trained models.
/// </remarks>
public static class Figure1Experiment
{
    /// <summary>Label of the run without batch norm.</summary>
    public const string WithoutLabel = "without BN";

    /// <summary>Label of the run with batch norm.</summary>
    public const string WithLabel = "with BN";

    /// <summary>Runs the pair on Fashion-MNIST (loaded from the repository's data/ folder).</summary>
    public static Figure1Result Run(Figure1Options options, IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var data = FashionMnist.Load();
        return Run(options, data.Train, data.Test, progress, cancellationToken);
    }

    /// <summary>Runs the pair on <paramref name="train"/>, evaluating on <paramref name="test"/>.</summary>
    /// <param name="options">The setup.</param>
    /// <param name="train">Training examples.</param>
    /// <param name="test">Test examples.</param>
    /// <param name="progress">Reports from both runs, on the calling thread.</param>
    /// <param name="cancellationToken">Stops both runs (<see cref="OperationCanceledException"/>).</param>
    public static Figure1Result Run(Figure1Options options, Dataset train, Dataset test,
        IProgress<ExperimentProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Run(options, train, test, stepsBefore: 0, stepsTotal: 2L * options.Steps, labelSuffix: "", progress, cancellationToken);
    }

    /// <summary>
    /// The two networks for <paramref name="options"/>: without and with BN, built from the same seed.
    /// Every weight matrix is the same in both (the BN network's hidden layers only lack the biases,
    /// which start at zero anyway).
    /// </summary>
    public static (Sequential<float> Without, Sequential<float> With) CreateNetworks(Figure1Options options)
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

    /// <summary>The pair, reporting progress as part of a larger experiment (<paramref name="stepsBefore"/> of <paramref name="stepsTotal"/> done).</summary>
    internal static Figure1Result Run(Figure1Options options, Dataset train, Dataset test, long stepsBefore, long stepsTotal, string labelSuffix,
        IProgress<ExperimentProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        options.Validate();
        if (train.Features != options.Sizes[0])
            throw new ArgumentException($"Shape mismatch: '{train.Name}' has {train.Features} features, the network takes {options.Sizes[0]}.", nameof(train));
        var (without, with) = CreateNetworks(options);
        var histories = SideBySide.Train(
            [new(WithoutLabel + labelSuffix, without, Batches(options, train)), new(WithLabel + labelSuffix, with, Batches(options, train))],
            test, options.Training(), options.Parallel, stepsBefore, stepsTotal, progress, cancellationToken);
        return new Figure1Result(options, histories[0], histories[1], without, with);
    }
}
