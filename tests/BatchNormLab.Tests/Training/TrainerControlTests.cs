using BatchNormLab.Data;
using BatchNormLab.Models;
using BatchNormLab.Training;

namespace BatchNormLab.Tests.Training;

/// <summary>Stopping a run from outside, and the problems the trainer reports instead of failing silently.</summary>
public class TrainerControlTests
{
    private static readonly Dataset Blobs = SyntheticData.GaussianBlobs(4, 8, 100, seed: 3, separation: 1.5);

    [Fact]
    public void A_cancelled_token_stops_training_at_the_next_step()
    {
        // As when a reader stops a notebook cell: the token is cancelled from inside a progress report.
        using var stop = new CancellationTokenSource();
        var steps = new List<int>();
        var progress = new Listener(p => { steps.Add(p.Step); if (p.Step == 30) stop.Cancel(); });
        var model = Mlp<float>.Create(new MlpOptions { Sizes = [8, 16, 4] }.WithBatchNorm(), 1);
        Assert.ThrowsAny<OperationCanceledException>(() => Trainer.Train(model, new MinibatchIterator(Blobs, 20, seed: 1), null,
            new TrainingOptions { Steps = 1_000_000, ProgressEvery = 10 }, progress, stop.Token));
        Assert.Equal([10, 20, 30], steps);
    }

    [Fact]
    public void A_token_cancelled_from_another_thread_stops_a_long_run_within_a_second()
    {
        using var stop = new CancellationTokenSource();
        var started = new ManualResetEventSlim();
        var progress = new Listener(_ => started.Set());
        var model = Mlp<float>.Create(new MlpOptions(), 1);
        var data = SyntheticData.GaussianBlobs(10, 784, 200, seed: 1);
        var run = Task.Run(() => Trainer.Train(model, new MinibatchIterator(data, 60, seed: 1), null,
            new TrainingOptions { Steps = 10_000_000, ProgressEvery = 1 }, progress, stop.Token));
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)), "training did not start");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        stop.Cancel();
        var ex = Record.Exception(() => run.Wait(TimeSpan.FromSeconds(10)));
        Assert.True(run.IsCompleted, "training still running 10 s after cancelling");
        Assert.True(run.IsCanceled || run.Exception?.InnerException is OperationCanceledException, $"ended with {ex}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"took {clock.Elapsed.TotalMilliseconds:F0} ms to stop");
    }

    [Fact]
    public void A_huge_learning_rate_on_the_paper_network_is_reported_not_silent()
    {
        // η = 10⁶ saturates every sigmoid: the values stay finite, the network stays at chance (10 %).
        var data = FashionMnist.Load();
        var model = Mlp<float>.Create(new MlpOptions(), 1);
        var h = Trainer.Train(model, new MinibatchIterator(data.Train, 60, seed: 1), null, new TrainingOptions { Steps = 200, LearningRate = 1e6 });
        Assert.NotEmpty(h.Problems);
        Assert.Contains(h.Problems, p => p.Kind is TrainingProblemKind.AtChance or TrainingProblemKind.Exploded or TrainingProblemKind.Diverged);
        Assert.All(h.Problems, p => Assert.Contains("1E+06", p.Message));
    }

    [Fact]
    public void A_healthy_run_reports_no_problem()
    {
        var model = Mlp<float>.Create(new MlpOptions { Sizes = [8, 16, 4] }.WithBatchNorm(), 1);
        var h = Trainer.Train(model, new MinibatchIterator(Blobs, 20, seed: 1), Blobs, new TrainingOptions { Steps = 300, LearningRate = 0.5 });
        Assert.Empty(h.Problems);
        Assert.True(h.FinalTestAccuracy > 0.5);
    }

    [Fact]
    public void A_tiny_learning_rate_is_reported_as_still_at_chance()
    {
        var model = Mlp<float>.Create(new MlpOptions { Sizes = [8, 16, 4] }, 1);
        var h = Trainer.Train(model, new MinibatchIterator(Blobs, 20, seed: 1), null, new TrainingOptions { Steps = 200, LearningRate = 1e-6 });
        var p = Assert.Single(h.Problems);
        Assert.Equal(TrainingProblemKind.AtChance, p.Kind);
        Assert.Contains("too small", p.Message);
    }

    private sealed class Listener(Action<TrainingProgress> action) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => action(value);
    }
}
