using BatchNormLab.Data;
using BatchNormLab.Experiments;
using BatchNormLab.Training;

namespace BatchNormLab.Experiments.Tests;

/// <summary>
/// The one job runner: notebook 05's runs (three networks with their measurements, a sweep over batch sizes with weights)
/// give the same bits on two threads as one after the other; progress reaches the caller's thread; failures stop every run.
/// (The Figure 1 pair's own checks are in <see cref="Figure1SetupTests"/>.)
/// </summary>
public class RunQueueTests
{
    private static readonly Dataset Train = Figure1SetupTests.Train, Test = Figure1SetupTests.Test;
    private static readonly Figure1Options Small = Figure1SetupTests.Small with { HistogramSteps = [] };

    private static WhyOptions Why(bool parallel) => new() { Figure1 = Small with { Parallel = parallel }, MeasureEvery = 20, DiagnosticsEvery = 10 };

    [Fact]
    public void Notebook_05s_three_networks_give_the_same_bits_in_parallel_as_one_after_the_other()
    {
        var parallel = WhyBatchNorm.Run(Why(parallel: true), Train, Test);
        var sequential = WhyBatchNorm.Run(Why(parallel: false), Train, Test);
        for (var i = 0; i < 3; i++)
        {
            var (p, s) = (parallel.Runs[i], sequential.Runs[i]);
            Assert.Equal(s.Label, p.Label);
            Assert.Equal(s.History.StepLoss, p.History.StepLoss);
            Assert.Equal(s.History.TestAccuracy, p.History.TestAccuracy);
            Assert.Equal(s.Shift.Distance(1), p.Shift.Distance(1));
            Assert.Equal(s.Landscape.BetaSmoothness, p.Landscape.BetaSmoothness);
            Assert.Equal(s.Diagnostics.UpdateToDataLog10("dense1.W"), p.Diagnostics.UpdateToDataLog10("dense1.W"));
        }
        // The three runs differ (no run's result landed in another's slot).
        Assert.NotEqual(parallel.Plain.History.StepLoss, parallel.BatchNorm.History.StepLoss);
        Assert.NotEqual(parallel.BatchNorm.History.StepLoss, parallel.NoisyBatchNorm.History.StepLoss);
    }

    [Fact]
    public void Batch_size_runs_count_examples_report_on_the_calling_thread_and_match_one_after_the_other()
    {
        var caller = Environment.CurrentManagedThreadId;
        var threads = new HashSet<int>();
        var reports = new List<ExperimentProgress>();
        var progress = new Progress(p => { threads.Add(Environment.CurrentManagedThreadId); reports.Add(p); });
        int[] sizes = [4, 20];
        var parallel = GeneralizationGap.Run(Small with { Parallel = true }, sizes, examplesSeen: 400, Train, Test, trainExamples: 100, progress);
        var sequential = GeneralizationGap.Run(Small with { Parallel = false }, sizes, examplesSeen: 400, Train, Test, trainExamples: 100);
        Assert.Equal(sequential.Runs, parallel.Runs);
        Assert.Equal(100, parallel[true, 4].Steps);
        Assert.Equal([caller], threads);
        // Each step counts its batch size: the total is 4 runs × 400 examples, and it is reached.
        Assert.All(reports, p => Assert.Equal(4L * 400, p.StepsTotal));
        Assert.Equal(4L * 400, reports[^1].StepsDone);
        Assert.Equal(reports.Select(p => p.StepsDone).Order(), reports.Select(p => p.StepsDone));
        Assert.Contains(reports, p => p.Run == "with BN, batch 20");
    }

    [Fact]
    public void A_failing_run_stops_the_other_and_its_error_comes_back()
    {
        var laps = 0;
        QueuedRun<int>[] runs =
        [
            new("fails", (_, _) => { Thread.Sleep(50); throw new InvalidOperationException("run 1 broke"); }),
            new("waits", (_, token) => { while (true) { token.ThrowIfCancellationRequested(); Interlocked.Increment(ref laps); Thread.Sleep(5); } }),
        ];
        var started = DateTime.UtcNow;
        var e = Assert.Throws<InvalidOperationException>(() => RunQueue.Run(runs, parallel: true, 0, 2, new Progress(_ => { }), CancellationToken.None));
        Assert.Equal("run 1 broke", e.Message);
        Assert.True(laps > 0, "the second run never started");
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void A_progress_display_that_throws_stops_the_runs_and_its_error_comes_back()
    {
        var stopped = 0;
        QueuedRun<int> Run(string label) => new(label, (p, token) =>
        {
            for (var step = 1; ; step++)
            {
                if (token.IsCancellationRequested) { Interlocked.Increment(ref stopped); token.ThrowIfCancellationRequested(); }
                p?.Report(new TrainingProgress(step, 1_000_000, 0, 0, TimeSpan.Zero));
                Thread.Sleep(1);
            }
        });
        var e = Assert.Throws<InvalidOperationException>(() => RunQueue.Run([Run("a"), Run("b")], parallel: true, 0, 2_000_000,
            new Progress(_ => throw new InvalidOperationException("display gone")), CancellationToken.None));
        Assert.Equal("display gone", e.Message);
        Assert.Equal(2, stopped); // both runs had ended when Run returned
    }

    private sealed class Progress(Action<ExperimentProgress> report) : IProgress<ExperimentProgress>
    {
        public void Report(ExperimentProgress value) => report(value);
    }
}
