using BatchNormLab.Activations;
using BatchNormLab.Layers;
using BatchNormLab.Data;
using BatchNormLab.Experiments;
using BatchNormLab.Models;
using BatchNormLab.Normalization;

namespace BatchNormLab.Experiments.Tests;

/// <summary>The pair starts from the same weights and sees the same batches; every run is reproducible.</summary>
public class Figure1SetupTests
{
    // A small version of the setup on synthetic data: the properties do not depend on the size (RunQueueTests uses it too).
    internal static readonly Dataset Train = SyntheticData.GaussianBlobs(4, 12, 90, seed: 3, separation: 1.5);
    internal static readonly Dataset Test = SyntheticData.GaussianBlobs(4, 12, 30, seed: 4, separation: 1.5);
    internal static readonly Figure1Options Small = new()
    {
        Sizes = [12, 16, 16, 16, 4], Steps = 150, BatchSize = 20, LearningRate = 0.5, InitScale = 0.3,
        EvaluateEvery = 25, ProbeEvery = 5, HistogramSteps = [0, 75], TrackedUnits = [0, 3], Seed = 7,
    };

    [Fact]
    public void Both_networks_start_from_the_same_weight_matrices()
    {
        var (without, with) = Figure1Experiment.CreateNetworks(new Figure1Options { Seed = 11 });
        Assert.Equal(3, without.LayersOf<ActivationLayer<float>>().Count);
        Assert.Empty(without.LayersOf<BatchNorm<float>>());
        Assert.Equal(3, with.LayersOf<BatchNorm<float>>().Count());
        for (var l = 0; l < 3; l++)
        {
            Assert.Equal(without.LayersOf<Dense<float>>()[l].Weights.Value.Data, with.LayersOf<Dense<float>>()[l].Weights.Value.Data);
            // The only difference: BN's β replaces the hidden bias, which starts at zero in the plain network.
            Assert.Null(with.LayersOf<Dense<float>>()[l].Bias);
            Assert.All(without.LayersOf<Dense<float>>()[l].Bias!.Value.Data, b => Assert.Equal(0f, b));
            Assert.IsType<BatchNorm<float>>(with.Normalizations[l]);
        }
        Assert.Equal(without.LayersOf<Dense<float>>()[^1].Weights.Value.Data, with.LayersOf<Dense<float>>()[^1].Weights.Value.Data);
        Assert.Equal(without.LayersOf<Dense<float>>()[^1].Bias!.Value.Data, with.LayersOf<Dense<float>>()[^1].Bias!.Value.Data);
    }

    [Fact]
    public void The_weights_follow_the_seed_and_the_init_scale()
    {
        var a = Figure1Experiment.CreateNetworks(new Figure1Options { Seed = 11 }).Without;
        var b = Figure1Experiment.CreateNetworks(new Figure1Options { Seed = 12 }).Without;
        Assert.NotEqual(a.LayersOf<Dense<float>>()[0].Weights.Value.Data, b.LayersOf<Dense<float>>()[0].Weights.Value.Data);
        var scaled = Figure1Experiment.CreateNetworks(new Figure1Options { Seed = 11, InitScale = 0.2 }).With;
        var w = a.LayersOf<Dense<float>>()[1].Weights.Value.Data;
        var w2 = scaled.LayersOf<Dense<float>>()[1].Weights.Value.Data;
        // Same draws, scaled: s = 0.2 versus the default.
        var ratio = 0.2 / Figure1Options.DefaultInitScale;
        for (var i = 0; i < w.Length; i++) Assert.Equal(w[i] * ratio, w2[i], 1e-6 * Math.Max(1, Math.Abs(w2[i])));
        var std = Math.Sqrt(w.Average(v => (double)v * v));
        Assert.InRange(std, 0.95 * Figure1Options.DefaultInitScale, 1.05 * Figure1Options.DefaultInitScale);
    }

    [Fact]
    public void Both_runs_draw_the_same_minibatches()
    {
        var a = Figure1Experiment.Batches(Small, Train);
        var b = Figure1Experiment.Batches(Small, Train);
        var c = Figure1Experiment.Batches(Small with { Seed = 8 }, Train);
        var sameAsC = true;
        for (var t = 0; t < 20; t++)
        {
            var ia = a.Next().Indices.ToArray();
            Assert.Equal(ia, b.Next().Indices);
            sameAsC &= ia.SequenceEqual(c.Next().Indices);
        }
        Assert.False(sameAsC, "another seed gives another order");
    }

    [Fact]
    public void Same_options_give_bit_identical_results()
    {
        var a = Figure1Experiment.Run(Small, Train, Test);
        var b = Figure1Experiment.Run(Small, Train, Test);
        foreach (var (x, y) in new[] { (a.WithoutBatchNorm, b.WithoutBatchNorm), (a.WithBatchNorm, b.WithBatchNorm) })
        {
            Assert.Equal(x.StepLoss, y.StepLoss);
            Assert.Equal(x.TestAccuracy, y.TestAccuracy);
            Assert.Equal(x.TrainLoss, y.TrainLoss);
            for (var l = 0; l < 3; l++)
            {
                Assert.Equal(x.Layers[l].Pooled.Percentiles, y.Layers[l].Pooled.Percentiles);
                Assert.Equal(x.Layers[l].Pooled.SaturatedFraction, y.Layers[l].Pooled.SaturatedFraction);
                Assert.Equal(x.Layers[l].Unit(3).Percentiles, y.Layers[l].Unit(3).Percentiles);
            }
            Assert.Equal(x.Histograms.SelectMany(h => h.Counts), y.Histograms.SelectMany(h => h.Counts));
        }
        // ...and the pair really differs (BN changes the computation), as does another seed.
        Assert.NotEqual(a.WithoutBatchNorm.StepLoss, a.WithBatchNorm.StepLoss);
        Assert.NotEqual(a.WithBatchNorm.StepLoss, Figure1Experiment.Run(Small with { Seed = 8 }, Train, Test).WithBatchNorm.StepLoss);
    }

    [Fact]
    public void The_first_step_sees_the_same_batch_and_the_same_weights()
    {
        // At step 0 both networks compute u = xW on the same batch with the same W: the first hidden
        // layer's pre-BN input is identical, so the plain network's sigmoid input equals the BN input.
        var r = Figure1Experiment.Run(Small with { Steps = 1, EvaluateEvery = 1, ProbeEvery = 1, HistogramSteps = [] }, Train, Test);
        var without = Figure1Experiment.CreateNetworks(Small).Without;
        var batch = Figure1Experiment.Batches(Small, Train).Next();
        var u = without.LayersOf<Dense<float>>()[0].Forward(batch.Images);
        var sorted = u.Data.Select(v => (double)v).Order().ToArray();
        var median = r.WithoutBatchNorm.Layers[0].Pooled.Percentile(50)[0];
        Assert.Equal(MathNet.Numerics.Statistics.SortedArrayStatistics.QuantileCustom(sorted, 0.5, MathNet.Numerics.Statistics.QuantileDefinition.R7), median, 1e-6);
        // With BN the first layer's sigmoid input is standardised per unit: each unit has mean 0 over the batch.
        Assert.InRange(Math.Abs(r.WithBatchNorm.Layers[0].Unit(0).Mean[0]), 0, 1e-5);
    }

    [Fact]
    public void Training_the_pair_in_parallel_gives_the_same_bits_as_one_after_the_other()
    {
        var parallel = Figure1Experiment.Run(Small with { Parallel = true }, Train, Test);
        var sequential = Figure1Experiment.Run(Small with { Parallel = false }, Train, Test);
        Assert.Equal(sequential.WithoutBatchNorm.StepLoss, parallel.WithoutBatchNorm.StepLoss);
        Assert.Equal(sequential.WithBatchNorm.StepLoss, parallel.WithBatchNorm.StepLoss);
        Assert.Equal(sequential.WithBatchNorm.TestAccuracy, parallel.WithBatchNorm.TestAccuracy);
        Assert.Equal(sequential.WithBatchNorm.Layers[2].Pooled.Percentiles, parallel.WithBatchNorm.Layers[2].Pooled.Percentiles);
    }

    [Fact]
    public void Sequential_progress_names_each_run_and_counts_steps_over_both()
    {
        var reports = new List<ExperimentProgress>();
        Figure1Experiment.Run(Small with { Parallel = false, ProgressEvery = 50 }, Train, Test, new Collect(reports));
        Assert.Contains(reports, p => p.Run == Figure1Experiment.WithoutLabel && p.StepsDone == 50);
        Assert.Contains(reports, p => p.Run == Figure1Experiment.WithLabel && p.StepsDone == Small.Steps + 50);
        Assert.All(reports, p => Assert.Equal(2L * Small.Steps, p.StepsTotal));
        Assert.Equal(1.0, reports[^1].Fraction, 12);
        Assert.Equal(reports.Select(p => p.StepsDone).Order(), reports.Select(p => p.StepsDone));
    }

    [Fact]
    public void Parallel_progress_arrives_on_the_calling_thread_one_at_a_time_and_ends_complete()
    {
        var caller = Environment.CurrentManagedThreadId;
        var threads = new HashSet<int>();
        var inside = 0;
        var overlapped = false;
        var reports = new List<ExperimentProgress>();
        var progress = new Collect(reports, before: () =>
        {
            overlapped |= Interlocked.Increment(ref inside) > 1;
            lock (threads) threads.Add(Environment.CurrentManagedThreadId);
        }, after: () => Interlocked.Decrement(ref inside));
        Figure1Experiment.Run(Small with { Steps = 600 }, Train, Test, progress);
        Assert.False(overlapped);
        Assert.Equal([caller], threads);
        Assert.NotEmpty(reports);
        Assert.Equal(1200L, reports[^1].StepsDone);
        Assert.Equal(reports.Select(p => p.StepsDone).Order(), reports.Select(p => p.StepsDone));
    }

    [Fact]
    public void Cancelling_stops_both_networks_of_a_parallel_pair()
    {
        // As when a reader stops the notebook cell: cancel from the first progress report.
        using var stop = new CancellationTokenSource();
        var reports = new List<ExperimentProgress>();
        var progress = new Collect(reports, after: stop.Cancel);
        Assert.ThrowsAny<OperationCanceledException>(() => Figure1Experiment.Run(Small with { Steps = 5_000, ProgressEvery = 10 }, Train, Test, progress, stop.Token));
        Assert.True(reports.Max(p => p.StepsDone) < 2 * 5_000 / 10, $"trained {reports.Max(p => p.StepsDone)} steps after cancelling");
    }

    [Fact]
    public void A_sweep_runs_one_pair_per_value_and_counts_progress_over_all()
    {
        var reports = new List<ExperimentProgress>();
        var sweep = Figure1Sweep.LearningRates(Small with { Parallel = false, ProgressEvery = 75 }, [0.1, 1.0], Train, Test, new Collect(reports));
        Assert.Equal([0.1, 1.0], sweep.Values);
        Assert.Equal(0.1, sweep.Points[0].Result.Options.LearningRate);
        Assert.Equal(1.0, sweep.Points[1].Result.Options.LearningRate);
        Assert.Empty(sweep.Points[0].Result.WithBatchNorm.ProbeSteps);   // sweeps record evaluations only
        Assert.All(reports, p => Assert.Equal(4L * Small.Steps, p.StepsTotal));
        Assert.Equal(4L * Small.Steps, reports[^1].StepsDone);
        Assert.Contains(reports, p => p.Run == "with BN, learning rate 1");
        // Each point is the same pair Figure1Experiment trains with that rate.
        var direct = Figure1Experiment.Run(Small with { LearningRate = 1.0, ProbeEvery = 0, HistogramSteps = [] }, Train, Test);
        Assert.Equal(direct.WithBatchNorm.TestAccuracy, sweep.Points[1].Result.WithBatchNorm.TestAccuracy);
        Assert.Equal(direct.FinalAccuracyWithout, sweep.FinalAccuraciesWithout[1]);
    }

    [Fact]
    public void Bad_options_get_clear_errors()
    {
        Assert.Contains("learning rate", Assert.Throws<ArgumentOutOfRangeException>(() => Figure1Experiment.CreateNetworks(new Figure1Options { LearningRate = -1 })).Message);
        Assert.Contains("at least 2", Assert.Throws<ArgumentOutOfRangeException>(() => Figure1Experiment.CreateNetworks(new Figure1Options { BatchSize = 1 })).Message);
        Assert.Contains("features", Assert.Throws<ArgumentException>(() => Figure1Experiment.Run(new Figure1Options { Steps = 5 }, Train, Test)).Message);
    }

    private sealed class Collect(List<ExperimentProgress> reports, Action? before = null, Action? after = null) : IProgress<ExperimentProgress>
    {
        public void Report(ExperimentProgress value)
        {
            before?.Invoke();
            lock (reports) reports.Add(value);
            after?.Invoke();
        }
    }
}
