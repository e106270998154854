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
    public static Figure1Result Run(Figure1Options options, Dataset train, Dataset test)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Run(options, train, test, stepsBefore: 0, stepsTotal: 2L * options.Steps, labelSuffix: "");
    }

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

    /// <summary>The pair, reporting progress as part of a larger experiment (<paramref name="stepsBefore"/> of <paramref name="stepsTotal"/> done).</summary>
    internal static Figure1Result Run(Figure1Options options, Dataset train, Dataset test, long stepsBefore, long stepsTotal, string labelSuffix)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        options.Validate();
        if (train.Features != options.Sizes[0])
            throw new ArgumentException($"Shape mismatch: '{train.Name}' has {train.Features} features, the network takes {options.Sizes[0]}.", nameof(train));
        var (without, with) = CreateNetworks(options);
        string[] labels = [WithoutLabel + labelSuffix, WithLabel + labelSuffix];
        Mlp<float>[] models = [without, with];
        var histories = new TrainingHistory[2];
        var report = options.Progress;
        if (!options.Parallel)
        {
            for (var i = 0; i < 2; i++)
            {
                var (label, before) = (labels[i], stepsBefore + (long)i * options.Steps);
                Action<TrainingProgress>? progress = report is null ? null : p => report(new ExperimentProgress(label, before + p.Step, stepsTotal, p));
                histories[i] = Trainer.Train(models[i], Batches(options, train), test, options.Training(progress));
            }
            return new Figure1Result(options, histories[0], histories[1]);
        }

        // Two threads; progress is collected from both and reported on the calling thread (notebook
        // displays are not thread-safe), about ten times a second.
        var gate = new object();
        var latest = new TrainingProgress[2];
        var last = 0;
        var changed = false;
        var tasks = new Task[2];
        for (var i = 0; i < 2; i++)
        {
            var index = i;
            Action<TrainingProgress>? progress = report is null ? null : p =>
            {
                lock (gate) (latest[index], last, changed) = (p, index, true);
            };
            tasks[i] = Task.Factory.StartNew(
                () => histories[index] = Trainer.Train(models[index], Batches(options, train), test, options.Training(progress)),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        void Report()
        {
            ExperimentProgress p;
            lock (gate)
            {
                if (!changed) return;
                changed = false;
                p = new ExperimentProgress(labels[last], stepsBefore + latest[0].Step + latest[1].Step, stepsTotal, latest[last]);
            }
            report!(p);
        }
        var both = Task.WhenAll(tasks);
        try
        {
            while (!both.Wait(TimeSpan.FromMilliseconds(100)))
                if (report is not null) Report();
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
        if (report is not null) Report();
        return new Figure1Result(options, histories[0], histories[1]);
    }
}
